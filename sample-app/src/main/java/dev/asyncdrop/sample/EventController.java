package dev.asyncdrop.sample;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /events} buffers an event and answers {@code 202 Accepted}; {@code GET /events/count} counts the rows
 * written so far. Refusals are RFC 9457 problem details that say why and what to do.
 */
@RestController
@RequestMapping("/events")
class EventController {

    private static final URI BUFFER_FULL = URI.create("urn:async-drop-sample:buffer-full");

    private static final URI SHUTTING_DOWN = URI.create("urn:async-drop-sample:shutting-down");

    private final EventBuffer buffer;

    private final JdbcClient jdbc;

    EventController(EventBuffer buffer, JdbcClient jdbc) {
        this.buffer = buffer;
        this.jdbc = jdbc;
    }

    @PostMapping
    ResponseEntity<?> post(@RequestBody EventRequest request) {
        String payload = request.payload();
        if (payload == null || payload.isBlank()) {
            return problem(HttpStatus.BAD_REQUEST, null, "Missing payload",
                    "The request body must be a JSON object with a non-blank \"payload\" string, "
                            + "for example {\"payload\": \"hello\"}");
        }
        if (payload.length() > EventBuffer.MAX_PAYLOAD_LENGTH) {
            return problem(HttpStatus.BAD_REQUEST, null, "Payload too long",
                    "The payload has " + payload.length() + " characters; send at most "
                            + EventBuffer.MAX_PAYLOAD_LENGTH);
        }
        return switch (this.buffer.offer(payload)) {
            case ACCEPTED -> ResponseEntity.accepted().build();
            case FULL -> problem(HttpStatus.SERVICE_UNAVAILABLE, BUFFER_FULL, "Event buffer full",
                    "The buffer holds " + this.buffer.capacity() + " events waiting to be written; "
                            + "the event was not accepted, retry later");
            case CLOSED -> problem(HttpStatus.SERVICE_UNAVAILABLE, SHUTTING_DOWN, "Shutting down",
                    "The application is shutting down and no longer accepts events; "
                            + "the event was not accepted, send it again once the application is back");
        };
    }

    @GetMapping("/count")
    EventCount count() {
        return new EventCount(this.jdbc.sql("select count(*) from events").query(Long.class).single());
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, @Nullable URI type, String title,
            String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        if (type != null) {
            problem.setType(type);
        }
        return ResponseEntity.of(problem).build();
    }

    /**
     * The body of {@code POST /events}.
     * @param payload the event's payload
     */
    record EventRequest(@Nullable String payload) {
    }

    /**
     * The body of {@code GET /events/count}.
     * @param count the number of rows in table {@code events}
     */
    record EventCount(long count) {
    }
}
