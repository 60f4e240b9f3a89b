package dev.slipway.mesos;

import java.io.IOException;

/** A Mesos HTTP API answer other than the one expected, with the server's own reason. */
public final class MesosHttpException extends IOException {
    private final int status;
    private final String body;

    public MesosHttpException(int status, String body) {
        super("Mesos answered " + status + (body == null || body.isBlank() ? "" : ": " + body.strip()));
        this.status = status;
        this.body = body == null ? "" : body;
    }

    public int status() {
        return status;
    }

    public String body() {
        return body;
    }
}
