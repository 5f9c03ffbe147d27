package dev.hotbind.entry;

/**
 * Thrown out of {@code agentmain} so that the attaching tool's {@code loadAgent} fails. The JDK prints
 * it on the target's stderr; without a stack trace that is a few lines, not a page of hotbind frames.
 */
final class AttachFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AttachFailure(String message) {
        super(message, null, false, false);
    }
}
