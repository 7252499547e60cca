// Progress on stderr while something runs: a spinner redrawn in place on a TTY, otherwise just
// the first and the last line (logs and pipes should not fill up with frames).

export interface Progress {
  update(text: string): void;
  done(finalLine?: string): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function progress(stream: NodeJS.WritableStream & { isTTY?: boolean }, first: string): Progress {
  if (stream.isTTY !== true) {
    stream.write(`${first}\n`);
    return { update: () => undefined, done: (line) => { if (line) stream.write(`${line}\n`); } };
  }
  let text = first;
  let i = 0;
  const draw = (): void => {
    stream.write(`\r\u001b[2K${FRAMES[i++ % FRAMES.length] ?? ''} ${text}`);
  };
  draw();
  const timer = setInterval(draw, 100);
  return {
    update: (t) => { text = t; },
    done: (line) => {
      clearInterval(timer);
      stream.write('\r\u001b[2K');
      if (line) stream.write(`${line}\n`);
    },
  };
}
