package io.governedrecovery.events.scoring;

/**
 * Counts the failures of the row being scored: a row that failed {@code limit} times in a row is given up, so one bad
 * record cannot stop the scoring of every later one, while a passing cause (a brief fault) is retried.
 */
final class RowFailures {

    private final int limit;
    private long seq = -1;
    private int count;

    RowFailures(int limit) {
        this.limit = limit;
    }

    /** Records a failure of row {@code rowSeq}; true when the row is to be given up (and the count starts over). */
    boolean failedAndGiveUp(long rowSeq) {
        if (rowSeq != seq) {
            seq = rowSeq;
            count = 0;
        }
        if (++count < limit) {
            return false;
        }
        seq = -1;
        return true;
    }

    /** How many times in a row the current row failed. */
    int count() {
        return seq < 0 ? 0 : count;
    }

    void succeeded() {
        seq = -1;
    }
}
