package dev.slipway.mesoslocal.http;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UninitializedMessageException;
import dev.slipway.mesos.MediaType;
import dev.slipway.mesos.MesosCodec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;

/** Reads a v1 API call from a request body, refusing it with Mesos's reasons. */
public final class CallDecoding {
    private CallDecoding() {
    }

    /** The body's media type, from Content-Type. */
    public static MediaType contentType(HttpServerRequest request) throws ApiError {
        String header = request.getHeader("Content-Type");
        if (header == null) {
            throw ApiError.badRequest("Expecting 'Content-Type' to be present");
        }
        MediaType type = MediaType.parse(header);
        if (type == null) {
            throw ApiError.unsupportedMediaType("Expecting 'Content-Type' of " + MediaType.JSON.value() + " or "
                    + MediaType.PROTOBUF.value());
        }
        return type;
    }

    /** Decodes {@code body} into a message of the builder's type, required fields included. */
    public static <T extends Message> T decode(Buffer body, MediaType type, Message.Builder builder) throws ApiError {
        if (type == MediaType.PROTOBUF) {
            try {
                return MesosCodec.decode(body.getBytes(), type, builder);
            } catch (InvalidProtocolBufferException | UninitializedMessageException e) {
                // C++ ParseFromString fails on both malformed input and missing required fields.
                throw ApiError.badRequest("Failed to parse body into Call protobuf");
            }
        }
        try {
            Json.decodeValue(body);
        } catch (DecodeException e) {
            throw ApiError.badRequest("Failed to parse body into JSON: " + e.getMessage());
        }
        try {
            return MesosCodec.decode(body.getBytes(), type, builder);
        } catch (InvalidProtocolBufferException e) {
            throw ApiError.badRequest("Failed to convert JSON into Call protobuf: " + e.getMessage());
        } catch (UninitializedMessageException e) {
            throw ApiError.badRequest("Failed to convert JSON into Call protobuf: Missing required fields "
                    + String.join(", ", e.getMissingFields()));
        }
    }
}
