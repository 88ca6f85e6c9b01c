package dev.asyncdrop;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.jspecify.annotations.Nullable;

import dev.asyncdrop.internal.ReadOnlyFuture;

/**
 * The skeleton shared by the containers that own guards and drop those they still own when their own guard is
 * dropped ({@link AsyncDropMap}, {@link AsyncDropScope}): the guards by key, the container's own guard, and the drop
 * that begins once.
 * <p>
 * One protection: an admission (a guard moving in) takes the shared side of a read-write lock, the start of the
 * drop its exclusive side. So an admission either completes before the drop takes the guards, and the drop then
 * drops the admitted guard too, or it finds the drop begun and is refused before it has touched anything: the
 * caller keeps what it offered, nothing is lost and nothing is dropped twice. Admissions run concurrently with each
 * other; removals and reads take no lock, and a removal that overlaps the drop may still take a guard out, which
 * then belongs to whoever removed it.
 * <p>
 * Thread-safe.
 *
 * @param <K> the type of keys
 * @param <G> the type of the owned guards
 */
final class OwnedGuards<K, G extends AsyncDropGuard<?>> {

    private final ConcurrentHashMap<K, G> entries = new ConcurrentHashMap<>();

    private final ReadWriteLock dropLock = new ReentrantReadWriteLock();

    // Set once, when the drop begins; from then on nothing is admitted.
    private volatile @Nullable ReadOnlyFuture<Void> drop;

    // The container's own guard: its drop begins when the guard's does, a moment before the guard calls asyncDrop().
    private volatile @Nullable AsyncDropGuard<?> ownGuard;

    /** @param guard the container's own guard, whose drop starts this one's */
    void ownedBy(AsyncDropGuard<?> guard) {
        this.ownGuard = guard;
    }

    /** @return whether the container's drop has begun (its guard's drop started, or its own drop ran) */
    boolean dropBegan() {
        AsyncDropGuard<?> guard = this.ownGuard;
        return this.drop != null || (guard != null && guard.isDropped());
    }

    /**
     * Begins an admission unless the drop has begun: until {@link #endAdmission()}, the drop cannot take the
     * guards. Use as {@code if (!beginAdmission()) throw ...; try { ... } finally { endAdmission(); }}, so that the
     * guard is created in the container's own frames, where a leak report's creation stack starts.
     * @return whether the admission began; {@code false} when the drop has begun, with nothing held
     */
    boolean beginAdmission() {
        Lock lock = this.dropLock.readLock();
        lock.lock();
        if (dropBegan()) {
            lock.unlock();
            return false;
        }
        return true;
    }

    /** Ends an admission that {@link #beginAdmission()} began. */
    void endAdmission() {
        this.dropLock.readLock().unlock();
    }

    /**
     * Adds a guard; call only during an admission.
     * @return the guard already under that key, or {@code null} if this one was added
     */
    @Nullable G putIfAbsent(K key, G guard) {
        return this.entries.putIfAbsent(key, guard);
    }

    @Nullable G get(K key) {
        return this.entries.get(key);
    }

    @Nullable G remove(K key) {
        return this.entries.remove(key);
    }

    /** @return whether the guard was under that key and is removed now, by this call */
    boolean remove(K key, G guard) {
        return this.entries.remove(key, guard);
    }

    /** @return the guards owned now, weakly consistent with concurrent changes, like the map's own views */
    Iterable<G> guards() {
        return this.entries.values();
    }

    int size() {
        return this.entries.size();
    }

    /**
     * Begins the drop, once: takes every guard still owned and drops them all concurrently.
     * @return a stage that completes when every taken guard is dropped; if any failed, it fails with an
     * {@link AsyncDropException} whose cause is the first failure in iteration order, the others suppressed on it.
     * Every call returns the same stage.
     */
    CompletionStage<Void> drop() {
        ReadOnlyFuture<Void> mine;
        List<AsyncDropGuard<?>> taken = new ArrayList<>();
        Lock lock = this.dropLock.writeLock();
        lock.lock();
        try {
            ReadOnlyFuture<Void> existing = this.drop;
            if (existing != null) {
                return existing;
            }
            mine = new ReadOnlyFuture<>();
            this.drop = mine;
            for (Map.Entry<K, G> entry : this.entries.entrySet()) {
                // A guard dropped or removed concurrently by its user leaves first and is that user's to drop.
                if (this.entries.remove(entry.getKey(), entry.getValue())) {
                    taken.add(entry.getValue());
                }
            }
        }
        finally {
            lock.unlock();
        }
        AsyncDrop.dropAll(taken).whenComplete((ignored, failure) -> mine.settle(failure));
        return mine;
    }
}
