package dev.asyncdrop.test.readme.predestroy.before;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

// "Before" of the README's "Coming from Spring's @PreDestroy / SmartLifecycle", word for word.
@Component
class AuditTrail implements DisposableBean {

    private final ExecutorService writer = Executors.newSingleThreadExecutor();

    private final List<String> written = new CopyOnWriteArrayList<>();

    void record(String event) {
        writer.execute(() -> written.add(event));           // stands in for a slow write
    }

    @Override
    public void destroy() throws InterruptedException {    // on the closing thread, one bean after another
        writer.shutdown();
        writer.awaitTermination(30, TimeUnit.SECONDS);      // the whole close waits, with no bound of its own
    }
}
