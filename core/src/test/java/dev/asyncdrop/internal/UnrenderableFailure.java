package dev.asyncdrop.internal;

/** A failure that cannot say what it is: its message and its text throw. */
public final class UnrenderableFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    @Override
    public String getMessage() {
        throw new IllegalStateException("no message");
    }

    @Override
    public String getLocalizedMessage() {
        throw new IllegalStateException("no localized message");
    }

    @Override
    public String toString() {
        throw new IllegalStateException("no text");
    }

    /** @return what the library renders for it in place of its text */
    public static String description() {
        return UnrenderableFailure.class.getName() + " (its toString() threw java.lang.IllegalStateException: no text)";
    }
}
