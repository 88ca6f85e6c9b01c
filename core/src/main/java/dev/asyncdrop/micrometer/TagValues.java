package dev.asyncdrop.micrometer;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.coordinator.DropOutcome;
import dev.asyncdrop.internal.Failures;

/**
 * Turns types, failures and outcomes into tag values with a bounded set of values: the one place of metric
 * wording, as {@link DropOutcome#label()} is of the words in logs and reports. Public so that every meter of
 * async-drop, in any module, speaks the same words. Thread-safe.
 *
 * @since 0.1.0
 */
public final class TagValues {

    /** The value of a tag whose subject is absent, as Micrometer's own binders spell it. */
    public static final String NONE = "none";

    private static final ClassValue<String> TYPE_NAMES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return typeName(type);
        }
    };

    private TagValues() {
    }

    /**
     * The simple name of a type, made fit for a tag. Lambdas, anonymous and other generated classes have no simple
     * name or one that differs between runs ({@code Pool$$Lambda/0x000001}), so they are named after their nearest
     * named supertype: a lambda implementing {@code AsyncDroppable} becomes {@code AsyncDroppable}. A suffix added
     * by a proxy generator ({@code Pool$$SpringCGLIB$$0}) is cut off.
     * @param type a type
     * @return its tag value, never empty
     */
    public static String type(Class<?> type) {
        return TYPE_NAMES.get(type);
    }

    /**
     * @param failure a failure, or {@code null}
     * @return the tag value of the failure's type, unwrapped from the wrappers futures add; {@code none} when null
     */
    public static String exception(@Nullable Throwable failure) {
        Throwable cause = Failures.unwrap(failure);
        return (cause != null) ? type(cause.getClass()) : NONE;
    }

    /**
     * @param outcome how a drop ended
     * @return its tag value: {@code success}, {@code failure}, {@code timeout} or {@code skipped}
     */
    public static String outcome(DropOutcome outcome) {
        return switch (outcome) {
            case DROPPED -> "success";
            case FAILED -> "failure";
            case TIMED_OUT -> "timeout";
            case SKIPPED -> "skipped";
        };
    }

    /**
     * @param failure the failure of a guard's drop, or {@code null} when it succeeded
     * @return the tag value of that drop's outcome: {@code success} or {@code failure}
     */
    public static String outcome(@Nullable Throwable failure) {
        return outcome((failure == null) ? DropOutcome.DROPPED : DropOutcome.FAILED);
    }

    private static String typeName(Class<?> type) {
        Class<?> named = type;
        while (isGenerated(named)) {
            named = nearestSupertype(named);
        }
        String name = named.getSimpleName();
        int generatedSuffix = name.indexOf("$$");
        if (generatedSuffix > 0) {
            name = name.substring(0, generatedSuffix);
        }
        return name.isEmpty() ? "Object" : name;
    }

    private static boolean isGenerated(Class<?> type) {
        return type.isAnonymousClass() || type.isHidden() || type.isSynthetic() || type.getSimpleName().isEmpty();
    }

    private static Class<?> nearestSupertype(Class<?> type) {
        Class<?> superclass = type.getSuperclass();
        if (superclass != null && superclass != Object.class) {
            return superclass;
        }
        Class<?>[] interfaces = type.getInterfaces();
        return interfaces.length > 0 ? interfaces[0] : Object.class;
    }
}
