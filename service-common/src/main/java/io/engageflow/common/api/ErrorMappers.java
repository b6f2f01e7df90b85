package io.engageflow.common.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every failure of a REST call into the contract's JSON error body; only our own bugs become a 5xx. */
public class ErrorMappers {
    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON)
                .entity(new ErrorBody(e.code(), e.getMessage(), e.details(), e.errors())).build();
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e) {
        return body(400, "malformed_json", "request body is not valid JSON: " + e.getOriginalMessage(), List.of());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            // an exception's message may echo the request: its type and where it was thrown above DEBUG
            LOG.errorf("request failed with %d: %s at %s", status, e.getClass().getName(),
                    e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?");
            LOG.debug("request failed", e);
        }
        String code = switch (status) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            default -> status >= 500 ? "internal" : "request_refused";
        };
        return body(status, code, e.getMessage(), List.of());
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.errorf("unexpected error in a request: %s at %s", e.getClass().getName(),
                e.getStackTrace().length > 0 ? e.getStackTrace()[0] : "?");
        LOG.debug("unexpected error in a request", e);
        return body(500, "internal", "internal error: " + e.getClass().getSimpleName(), List.of());
    }

    public static Response body(int status, String code, String message, List<?> details) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ErrorBody(code, message, details)).build();
    }
}
