// Progress on stderr while something runs: a spinner redrawn in place on a TTY, otherwise just
// the first and the last line (logs and pipes should not fill up with frames).

export interface Progress {
  update(text: string): void;
  done(finalLine?: string): void;
}

/** Braille spinner frames, shared with the drift browser's spinner (ui/hooks/use-spinner.ts). */
export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;

export function progress(stream: NodeJS.WritableStream & { isTTY?: boolean }, first: string): Progress {
  if (stream.isTTY !== true) {
    stream.write(`${first}\n`);
    return {
      update: () => undefined,
      done: (line) => {
        if (line) stream.write(`${line}\n`);
      },
    };
  }
  let text = first;
  let i = 0;
  const draw = (): void => {
    stream.write(`\r\u001b[2K${SPINNER_FRAMES[i++ % SPINNER_FRAMES.length] ?? ''} ${text}`);
  };
  draw();
  const timer = setInterval(draw, 100);
  return {
    update: (t) => {
      text = t;
    },
    done: (line) => {
      clearInterval(timer);
      stream.write('\r\u001b[2K');
      if (line) stream.write(`${line}\n`);
    },
  };
}
