package io.governedrecovery.it.harness;

/** A setup problem with a one-line explanation of what to do; thrown instead of a deep stack trace. */
public final class HarnessException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public HarnessException(String message) {
        super(message);
    }

    public HarnessException(String message, Throwable cause) {
        super(message, cause);
    }
}
