package dev.asyncdrop;

import java.util.Objects;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

/**
 * A concurrent map that owns the guards of its values and drops them all when it is dropped: the JVM counterpart of
 * Rust's {@code AsyncDropHashMap}. Create one with {@link #create()}, which returns the map's own guard.
 * <p>
 * Ownership moves in with {@link #tryInsert} and out with {@link #remove}. Dropping the map drops every value
 * still in it, concurrently, and completes when all those drops have finished; if any failed, it fails with an
 * {@link AsyncDropException} whose cause is the first failure (in the map's iteration order), the others being
 * suppressed on that cause. Once the map's drop has begun (the first {@code asyncDrop()} on its guard),
 * {@code tryInsert} throws {@link IllegalStateException} and the caller keeps its guard; a value whose insertion
 * raced with the drop is either dropped by the map (the insertion then succeeded) or rejected with that exception,
 * never lost. A {@code remove} that overlaps the drop may still take a value out; it then belongs to its caller
 * alone.
 * <p>
 * Thread-safe: backed by a {@link java.util.concurrent.ConcurrentHashMap}. An insertion takes a shared lock that only
 * the start of the map's drop takes exclusively; removals and reads take none.
 *
 * @param <K> the type of keys
 * @param <V> the type of the guarded values
 * @since 0.1.0
 */
public final class AsyncDropMap<K, V extends AsyncDroppable> implements AsyncDroppable {

    private final OwnedGuards<K, AsyncDropGuard<V>> entries = new OwnedGuards<>();

    private AsyncDropMap() {
    }

    /**
     * Creates an empty map.
     * @param <K> the type of keys
     * @param <V> the type of the guarded values
     * @return the map's guard; dropping it drops every value
     */
    public static <K, V extends AsyncDroppable> AsyncDropGuard<AsyncDropMap<K, V>> create() {
        AsyncDropMap<K, V> map = new AsyncDropMap<>();
        AsyncDropGuard<AsyncDropMap<K, V>> guard = AsyncDropGuard.of(map);
        map.entries.ownedBy(guard);
        return guard;
    }

    /**
     * Inserts a guard unless the key is taken. On success the map owns the guard.
     * @param key the key
     * @param value the guard to hand to the map
     * @return {@code null} if inserted; {@code value} itself if the key was taken, still owned by the caller
     * @throws IllegalStateException if the map's drop has begun (the caller keeps {@code value})
     * @throws IllegalArgumentException if {@code value} is already dropped or was disarmed
     */
    public @Nullable AsyncDropGuard<V> tryInsert(K key, AsyncDropGuard<V> value) {
        Objects.requireNonNull(key, "'key' must not be null");
        Objects.requireNonNull(value, "'value' must not be null");
        if (!this.entries.beginAdmission()) {
            throw new IllegalStateException("Cannot insert key " + key + ": the AsyncDropMap is being dropped; the "
                    + "guard was not inserted and still belongs to the caller");
        }
        try {
            if (value.isDropped()) {
                throw new IllegalArgumentException("'value' for key " + key + " is already dropped; insert a live "
                        + "guard");
            }
            if (value.isDisarmed()) {
                throw new IllegalArgumentException("'value' for key " + key + " was disarmed by "
                        + "unsafeIntoInnerDontDrop() or unsafeMap(), so the map could never drop it; insert the guard "
                        + "that now owns the resource");
            }
            return (this.entries.putIfAbsent(key, value) != null) ? value : null;
        }
        finally {
            this.entries.endAdmission();
        }
    }

    /**
     * Removes a guard; ownership passes to the caller, who must drop it.
     * @param key the key
     * @return the removed guard, or {@code null} if there was none
     */
    public @Nullable AsyncDropGuard<V> remove(K key) {
        return this.entries.remove(Objects.requireNonNull(key, "'key' must not be null"));
    }

    /**
     * Returns the resource stored under a key.
     * @param key the key
     * @return the resource, or {@code null} if the key is absent or its value is being dropped
     */
    public @Nullable V get(K key) {
        AsyncDropGuard<V> guard = this.entries.get(Objects.requireNonNull(key, "'key' must not be null"));
        if (guard == null) {
            return null;
        }
        try {
            return guard.get();
        }
        catch (IllegalStateException ex) {
            return null;
        }
    }

    /** @return how many guards the map owns */
    public int size() {
        return this.entries.size();
    }

    /**
     * Drops every value still in the map, concurrently; called by the map's guard.
     * @return a stage that completes when every value is dropped
     */
    @Override
    public CompletionStage<Void> asyncDrop() {
        return this.entries.drop();
    }

    @Override
    public String toString() {
        return "AsyncDropMap[size=" + this.entries.size() + (this.entries.dropBegan() ? ", dropping]" : "]");
    }
}
