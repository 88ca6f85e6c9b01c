package dev.asyncdrop.test.readme.predestroy.after;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.stereotype.Component;

import dev.asyncdrop.AsyncDroppable;
import dev.asyncdrop.test.readme.Workers;

// "After" of the README's "Coming from Spring's @PreDestroy / SmartLifecycle", word for word.
@Component
class AuditTrail implements AsyncDroppable {

    private final Workers writer = new Workers(1);          // the executor of "30 seconds"

    private final List<String> written = new CopyOnWriteArrayList<>();

    void record(String event) {
        writer.execute(() -> written.add(event));           // stands in for a slow write
    }

    @Override
    public CompletionStage<Void> asyncDrop() {              // at close, beside the beans it does not use
        return writer.asyncDrop();                          // completes once every recorded event is written
    }

    @Override
    public void onDropTimeout() {                           // after async-drop.timeout-per-phase (20s by default)
        writer.onDropTimeout();
    }
}
