package dev.asyncdrop;

/**
 * Something that holds guards and must forget one as soon as it is dropped or disarmed by someone else, so that it
 * neither drops it twice nor keeps it reachable (an {@link AsyncDropScope}).
 */
interface GuardOwner {

    /**
     * Called once, by the thread that dropped or disarmed the guard.
     * @param guard the guard that no longer needs this owner
     */
    void release(AsyncDropGuard<?> guard);
}
