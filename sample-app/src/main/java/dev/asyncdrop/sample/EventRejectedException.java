package dev.asyncdrop.sample;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.node.JsonNodeType;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponseException;

/**
 * Thrown when {@code POST /events} does not accept an event. Spring MVC answers it with its RFC 9457 problem detail:
 * a {@code type} per reason, a title, a detail that says what to send or when to retry, and for {@code 503} a
 * {@code Retry-After} header.
 * <p>
 * Not thread-safe: created, thrown and answered on the request's thread.
 */
final class EventRejectedException extends ErrorResponseException {

    private static final long serialVersionUID = 1L;

    static final URI UNREADABLE_BODY = problemType("unreadable-body");

    static final URI MISSING_PAYLOAD = problemType("missing-payload");

    static final URI PAYLOAD_NOT_A_STRING = problemType("payload-not-a-string");

    static final URI PAYLOAD_TOO_LONG = problemType("payload-too-long");

    static final URI BUFFER_FULL = problemType("buffer-full");

    static final URI SHUTTING_DOWN = problemType("shutting-down");

    private static final String WHAT_TO_SEND = "Send a JSON object with a non-blank \"payload\" string, for example "
            + "{\"payload\": \"hello\"}.";

    private EventRejectedException(HttpStatus status, URI type, String title, String detail,
            @Nullable Throwable cause) {
        super(status, ProblemDetail.forStatusAndDetail(status, detail), cause);
        setType(type);
        setTitle(title);
    }

    /**
     * The body is missing, is not JSON, or is JSON of another shape than an object.
     */
    static EventRejectedException unreadableBody(HttpMessageNotReadableException ex) {
        if (!(ex.getCause() instanceof JacksonException json)) {
            return new EventRejectedException(HttpStatus.BAD_REQUEST, UNREADABLE_BODY, "Unreadable request body",
                    "The request has no body. " + WHAT_TO_SEND, ex);
        }
        TokenStreamLocation location = json.getLocation();
        String where = (location != null && location.getLineNr() > 0)
                ? " (at line " + location.getLineNr() + ", column " + location.getColumnNr() + ")" : "";
        String what = (json instanceof StreamReadException) ? "is not valid JSON" : "is JSON but not an object";
        return new EventRejectedException(HttpStatus.BAD_REQUEST, UNREADABLE_BODY, "Unreadable request body",
                "The request body " + what + where + ". " + WHAT_TO_SEND, ex);
    }

    /**
     * The body has no {@code payload}, a {@code null} one, or one of whitespace only.
     */
    static EventRejectedException missingPayload() {
        return new EventRejectedException(HttpStatus.BAD_REQUEST, MISSING_PAYLOAD, "Missing payload",
                "The request body has no \"payload\", or it is blank. " + WHAT_TO_SEND, null);
    }

    /**
     * The {@code payload} is JSON of another type than a string; it is not converted, so that what is stored is what
     * the client meant to send.
     */
    static EventRejectedException payloadNotAString(JsonNodeType type) {
        return new EventRejectedException(HttpStatus.BAD_REQUEST, PAYLOAD_NOT_A_STRING, "Payload not a string",
                "\"payload\" must be a JSON string, it was " + describe(type) + ". Quote it, for example "
                        + "{\"payload\": \"5\"}.",
                null);
    }

    /**
     * The {@code payload} has more characters (Unicode code points) than {@link EventBuffer#MAX_PAYLOAD_LENGTH}.
     */
    static EventRejectedException payloadTooLong(int characters) {
        EventRejectedException rejected = new EventRejectedException(HttpStatus.BAD_REQUEST, PAYLOAD_TOO_LONG,
                "Payload too long", "The payload has " + characters + " characters (Unicode code points); send at "
                        + "most " + EventBuffer.MAX_PAYLOAD_LENGTH + ".",
                null);
        rejected.getBody().setProperty("characters", characters);
        rejected.getBody().setProperty("maxCharacters", EventBuffer.MAX_PAYLOAD_LENGTH);
        return rejected;
    }

    /**
     * The buffer holds {@code capacity} events not yet written.
     */
    static EventRejectedException bufferFull(int capacity, Duration retryAfter) {
        return retryLater(new EventRejectedException(HttpStatus.SERVICE_UNAVAILABLE, BUFFER_FULL, "Event buffer full",
                "The buffer holds " + capacity + " events waiting to be written; the event was not accepted. "
                        + "Send it again after the time in the Retry-After header.",
                null), retryAfter);
    }

    /**
     * The buffer is being dropped: the application is shutting down.
     */
    static EventRejectedException shuttingDown(Duration retryAfter) {
        return retryLater(new EventRejectedException(HttpStatus.SERVICE_UNAVAILABLE, SHUTTING_DOWN, "Shutting down",
                "The application is shutting down and no longer accepts events; the event was not accepted. "
                        + "Send it again once the application is back, no sooner than the time in the Retry-After "
                        + "header.",
                null), retryAfter);
    }

    private static EventRejectedException retryLater(EventRejectedException rejected, Duration retryAfter) {
        // Retry-After is in whole seconds (RFC 9110); rounding down could tell a client to retry at once.
        long seconds = retryAfter.toSeconds() + ((retryAfter.toNanosPart() > 0) ? 1 : 0);
        rejected.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, seconds)));
        return rejected;
    }

    private static String describe(JsonNodeType type) {
        return switch (type) {
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            default -> type.name().toLowerCase(Locale.ROOT);
        };
    }

    private static URI problemType(String name) {
        return URI.create("urn:async-drop-sample:" + name);
    }
}
