// Proof that the MongoDB-wire server is real: the mongodb driver writes and reads back through it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MongoClient } from 'mongodb';
import { startFerretDB, type FerretDB } from './ferretdb.ts';

describe('FerretDB', () => {
  let db: FerretDB;
  before(async () => {
    db = await startFerretDB();
  });
  after(async () => {
    await db?.stop();
  });

  it('stores and returns documents through the mongodb driver', async () => {
    const client = new MongoClient(db.uri, { serverSelectionTimeoutMS: 5000 });
    try {
      await client.connect();
      const coll = client
        .db('driftguard_test')
        .collection<{ _id: string; n: number; tags: string[] }>('things');
      await coll.createIndex({ n: 1 }, { unique: true });
      await coll.insertMany([
        { _id: 'a', n: 1, tags: ['x'] },
        { _id: 'b', n: 2, tags: [] },
      ]);
      await coll.updateOne({ _id: 'a' }, { $set: { tags: ['x', 'y'] } });
      const docs = await coll.find({}).sort({ n: 1 }).toArray();
      assert.deepEqual(docs, [
        { _id: 'a', n: 1, tags: ['x', 'y'] },
        { _id: 'b', n: 2, tags: [] },
      ]);
      await assert.rejects(coll.insertOne({ _id: 'c', n: 1, tags: [] }), /duplicate key/i);
    } finally {
      await client.close();
    }
  });
});
