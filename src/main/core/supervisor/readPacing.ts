/**
 * When to read a program's output again after a read of `n` bytes.
 *
 * A program printing as fast as it can writes 4 KB at a time (stdio's
 * buffer), and an idle reader wakes for each write: 200,000 lines of 100
 * bytes came in 2,000 to 4,500 reads of 4 KB, each paying a wake-up, a
 * callback and a file write, and took 0.6 to 1.5 s of CPU instead of
 * 0.15 s. After a small read, then, the next waits a millisecond, enough
 * for the socket to fill: the same output came in about 120 reads. A
 * program printing a line now and then loses nothing by it (its line was
 * read at once; only the read after it waits).
 */
export const SMALL_READ_BYTES = 16 * 1024

export function readAgain(n: number, resume: () => void): void {
  if (n < SMALL_READ_BYTES) setTimeout(resume, 1)
  else setImmediate(resume)
}
