package dev.asyncdrop.internal;

import java.lang.ref.Cleaner;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.asyncdrop.AsyncDropGuard;
import dev.asyncdrop.AsyncDropMap;
import dev.asyncdrop.AsyncDropScope;
import dev.asyncdrop.LeakDetection;
import dev.asyncdrop.LeakReport;
import dev.asyncdrop.SharedAsyncDrop;

/**
 * Watches one tracked guard. It is the guard's cleaning action, so it must never reference the guard or its
 * resource: that would keep them reachable and the leak would never be seen. It holds only what the report needs.
 */
public final class LeakTracker implements Runnable {

    // One daemon thread for the whole library, started by the first tracked guard. Its context class loader is
    // cleared so that it does not pin the class loader of whichever application created that guard.
    private static final Cleaner CLEANER = Cleaner.create(task -> {
        Thread thread = new Thread(task, "async-drop-leak-detector");
        thread.setContextClassLoader(null);
        return thread;
    });

    // The classes whose frames create guards on a caller's behalf, nested classes and lambdas included.
    private static final Set<String> PLUMBING = Stream.of(LeakTracker.class, LeakDetection.class,
            AsyncDropGuard.class, SharedAsyncDrop.class, AsyncDropScope.class, AsyncDropMap.class,
            GuardWatch.class)
            .map(Class::getName).collect(Collectors.toUnmodifiableSet());

    private final Class<?> resourceType;

    private final String description;

    private final Throwable creationSite;

    private final Consumer<LeakReport> sink;

    private volatile boolean discharged;

    private final Cleaner.Cleanable cleanable;

    private LeakTracker(Object guard, Object resource, Consumer<LeakReport> sink) {
        this.resourceType = resource.getClass();
        this.description = describe(resource);
        // Filling in the stack is the expensive part; only tracked guards pay for it.
        this.creationSite = new Throwable("guard created here");
        this.sink = sink;
        this.cleanable = CLEANER.register(guard, this);
    }

    /**
     * Starts watching a guard.
     * @param guard the guard whose unreachability means a leak
     * @param resource the guarded resource; only its type and description are kept
     * @param sink where the report goes if the guard leaks
     * @return the tracker, to be {@linkplain #discharge() discharged} when the guard is dropped or disarmed
     */
    public static LeakTracker track(Object guard, Object resource, Consumer<LeakReport> sink) {
        return new LeakTracker(guard, resource, sink);
    }

    /** The guard met its obligation: forget it now rather than when it is collected. */
    public void discharge() {
        this.discharged = true;
        this.cleanable.clean();
    }

    /** @return whether the guard was dropped or disarmed */
    boolean isDischarged() {
        return this.discharged;
    }

    @Override
    public void run() {
        if (!this.discharged) {
            this.sink.accept(new LeakReport(this.resourceType, this.description, userFrames()));
        }
    }

    private StackTraceElement[] userFrames() {
        StackTraceElement[] frames = this.creationSite.getStackTrace();
        int first = 0;
        while (first < frames.length - 1 && isLibraryPlumbing(frames[first])) {
            first++;
        }
        return Arrays.copyOfRange(frames, first, frames.length);
    }

    // The frames that create the guard say nothing about who created it; the caller of AsyncDropGuard.of, share(),
    // track() or create() does.
    private static boolean isLibraryPlumbing(StackTraceElement frame) {
        String className = frame.getClassName();
        int nested = className.indexOf('$');
        return PLUMBING.contains((nested < 0) ? className : className.substring(0, nested));
    }

    private static String describe(Object resource) {
        return SafeLog.describe(resource);
    }
}
