package dev.asyncdrop.test.readme;

import org.springframework.stereotype.Service;

import dev.asyncdrop.AsyncDropGuard;
import dev.asyncdrop.AsyncDropScope;

// The README's "Droppables created at run time" shows this class word for word; RuntimeDroppablesTests runs it.
@Service
class Sessions {

    private final AsyncDropScope scope;

    Sessions(AsyncDropScope scope) {
        this.scope = scope;
    }

    AsyncDropGuard<Session> open(String user) {
        return scope.track(new Session(user));    // drop it when done; at close the scope drops what is left
    }
}
