/** A one-line progress bar with ETA on a terminal; silent when stderr is not a TTY (CI logs stay clean). */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): { update(done: number, total: number): void; finish(): void } {
  const started = performance.now();
  let drawn = false;
  return {
    update(done, total) {
      if (!stream.isTTY || total === 0) return;
      const share = Math.min(1, done / total);
      const width = 24;
      const filled = Math.round(share * width);
      const elapsed = (performance.now() - started) / 1000;
      const eta = share > 0 ? elapsed / share - elapsed : 0;
      stream.write(`\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} ${Math.round(share * 100)}% ETA ${eta.toFixed(0)}s `);
      drawn = true;
    },
    finish() {
      if (drawn) stream.write('\n');
    },
  };
}
