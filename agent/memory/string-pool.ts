// One copy of the strings many held objects repeat (issue 25: memory proportional to what is
// compared). JSON.parse, a database driver or a watch event gives every object its own copy of
// each string value: the namespace, the image, "IfNotPresent", the creation timestamp its
// managedFields repeat. A pool hands out the first copy it was given of each value instead, so
// the objects the agent keeps for its life point at one. Values never change, only which copy a
// field points at, so nothing a reader can see changes.

/**
 * Past this many distinct strings a pool starts over: it only decides which copy later objects
 * point at, so forgetting costs sharing, never correctness, and a pool stays bounded whatever it is
 * given (unique names and timestamps pass through it too).
 */
const MAX_STRINGS = 65_536;

export class StringPool {
  private readonly strings = new Map<string, string>();

  /** The pool's copy of `s` (the first one seen since the pool started over). */
  intern(s: string): string {
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    if (this.strings.size >= MAX_STRINGS) this.strings.clear();
    this.strings.set(s, s);
    return s;
  }
}
