/**
 * When to read a program's output again after a read of `n` bytes.
 *
 * A program printing as fast as it can writes 4 KB at a time (stdio's
 * buffer), and an idle reader wakes for each write: in most rounds
 * 200,000 lines of 100 bytes came in 2,000 to 4,500 reads of 4 KB, each
 * paying a wake-up, a callback and a file write, and took the daemon 0.5
 * to 1 s of CPU instead of about 0.15 s. After a small read, then, the
 * next waits a millisecond, enough for the socket to fill: the same output
 * came in 115 to 150 reads, every round. A
 * program printing a line now and then loses nothing by it (its line was
 * read at once; only the read after it waits).
 */
export const SMALL_READ_BYTES = 16 * 1024

export function readAgain(n: number, resume: () => void): void {
  if (n < SMALL_READ_BYTES) setTimeout(resume, 1)
  else setImmediate(resume)
}
