package dev.slipway.router.proxy;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * The client's request on its way to the app on the Netty data path, for {@link NettyForward}: the
 * head rewritten for the app once (hop-by-hop headers out, Heroku's in), whichever attempt sends it,
 * and the body after it as it comes. Body that comes while no connection to the app is there yet is
 * held until one is; once the request is over, whatever of the body is still to come is read and
 * dropped, so that the client's connection goes on. Used on the request's event loop only.
 */
final class NettyRequestOut {
    private final HttpRequest request;
    /** The Upgrade of a WebSocket handshake (read before the hop-by-hop headers go), or null. */
    private final String upgrade;
    private final boolean secure;
    private final Exchange exchange;
    private final String forwardedFor;
    private final boolean hasBody;
    private boolean rewritten;
    /** Body received while no connection to the app was there yet (made when some is). */
    private ArrayDeque<HttpContent> early;
    private boolean ended;
    private boolean sent;
    private boolean dropping;

    NettyRequestOut(HttpRequest request, String upgrade, boolean secure, Exchange exchange, String forwardedFor) {
        this.request = request;
        this.upgrade = upgrade;
        this.secure = secure;
        this.exchange = exchange;
        this.forwardedFor = forwardedFor;
        HttpHeaders headers = request.headers();
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        this.hasBody = (length != null && !length.trim().equals("0")) || headers.contains(HttpHeaderNames.TRANSFER_ENCODING);
    }

    boolean hasBody() {
        return hasBody;
    }

    /** Whether the client's body ended (or there was none to come). */
    boolean ended() {
        return ended;
    }

    /** Whether all of the request went out on the app's connection, so that it can carry another. */
    boolean sent() {
        return sent;
    }

    /** Writes the head and the body held so far on {@code app}, whose connection came from {@code client}'s; flushed. */
    void sendTo(Channel app, Channel client) {
        if (!rewritten) {
            rewritten = true;
            InetSocketAddress local = client.localAddress() instanceof InetSocketAddress inet ? inet : null;
            InPlaceHeaders.toApp(request, upgrade, secure, local == null ? -1 : local.getPort(), exchange, forwardedFor);
        }
        app.write(request, app.voidPromise());
        if (!hasBody) {
            app.write(LastHttpContent.EMPTY_LAST_CONTENT, app.voidPromise());
            sent = true;
        } else if (early != null) {
            HttpContent content;
            while ((content = early.poll()) != null) {
                app.write(content, app.voidPromise());
                sent = content instanceof LastHttpContent;
            }
        }
        app.flush();
    }

    /**
     * A piece of the client's body (the last one ends it): written on {@code app}, held while that is
     * null, or dropped; whether it was written.
     */
    boolean body(HttpContent content, Channel app) {
        if (content instanceof LastHttpContent) {
            ended = true;
        }
        if (!hasBody || dropping) {
            content.release();
            return false;
        }
        if (app == null) {
            if (early == null) {
                early = new ArrayDeque<>(4);
            }
            early.add(content);
            return false;
        }
        // No promise per write: a failed write closes the connection (Upstream.exceptionCaught).
        app.write(content, app.voidPromise());
        if (content instanceof LastHttpContent) {
            sent = true;
        }
        return true;
    }

    /** The request is over (answered, or given up): what is held is released, and the rest is read and dropped. */
    void drop() {
        dropping = true;
        HttpContent content;
        while (early != null && (content = early.poll()) != null) {
            content.release();
        }
    }
}
