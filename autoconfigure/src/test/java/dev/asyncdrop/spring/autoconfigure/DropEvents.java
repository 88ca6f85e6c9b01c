package dev.asyncdrop.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;

/**
 * What happened during a test, in order: {@code start:<name>} and {@code end:<name>} for drops, and anything else
 * a test adds. Thread-safe.
 */
final class DropEvents {

    private final List<String> events = new ArrayList<>();

    synchronized void add(String event) {
        events.add(event);
    }

    synchronized List<String> list() {
        return List.copyOf(events);
    }

    synchronized int indexOf(String event) {
        return events.indexOf(event);
    }

    synchronized List<String> starts() {
        return events.stream().filter(event -> event.startsWith("start:")).map(event -> event.substring(6)).toList();
    }

    @Override
    public synchronized String toString() {
        return new ArrayList<>(events).toString();
    }
}
