package dev.herd.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem document: what went wrong and what to do about it.
 *
 * @param type   a URI naming the kind of problem
 * @param title  short summary of the kind
 * @param status HTTP status
 * @param detail this occurrence, with what to fix
 */
public record Problem(String type, String title, int status, String detail) {
    public static final MediaType MEDIA_TYPE = new MediaType("application", "problem+json");

    public static Response response(Response.StatusType status, String type, String title, String detail) {
        return Response.status(status).type(MEDIA_TYPE)
                .entity(new Problem("https://herd.dev/problems/" + type, title, status.getStatusCode(), detail)).build();
    }

    /** 422: the request is well-formed but cannot be carried out (jakarta's Status enum lacks it). */
    public static final Response.StatusType UNPROCESSABLE = new Response.StatusType() {
        @Override
        public int getStatusCode() {
            return 422;
        }

        @Override
        public Response.Status.Family getFamily() {
            return Response.Status.Family.CLIENT_ERROR;
        }

        @Override
        public String getReasonPhrase() {
            return "Unprocessable Content";
        }
    };

    /** Thrown by resources; mapped to a problem response. */
    public static final class Failure extends RuntimeException {
        private final transient Response response;

        public Failure(Response.StatusType status, String type, String title, String detail) {
            super(detail, null, false, false);
            this.response = Problem.response(status, type, title, detail);
        }

        public Response response() {
            return response;
        }
    }
}
