package dev.slipway.mesoslocal.master;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /master/teardown} with the body {@code frameworkId=<id>}: the operator's teardown
 * of a framework, as Mesos 1.11's {@code Master::Http::teardown} answers it (200 once removed).
 * Behind the read-write realm's authentication when mesos-local authenticates.
 */
public final class TeardownEndpoint implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(TeardownEndpoint.class);

    private final Master master;

    public TeardownEndpoint(Master master) {
        this.master = master;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (ctx.request().method() != HttpMethod.POST) {
            ctx.response().setStatusCode(405).putHeader("Allow", "POST")
                    .end("Expecting one of { 'POST' }, but received '" + ctx.request().method().name() + "'");
            return;
        }
        // Handlers of this server run on the master's context: the body arrives there too.
        ctx.request().body().onSuccess(body -> {
            String frameworkId = null;
            for (String pair : body.toString(StandardCharsets.UTF_8).split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0 && pair.substring(0, equals).equals("frameworkId")) {
                    frameworkId = URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
                }
            }
            if (frameworkId == null) {
                ctx.response().setStatusCode(400).end("Missing 'frameworkId' query parameter in the request body");
                return;
            }
            Framework framework = master.framework(frameworkId);
            if (framework == null) {
                ctx.response().setStatusCode(400).end("No framework found with specified ID");
                return;
            }
            LOG.info("Tearing down framework {} at the operator's request", framework);
            master.removeFramework(framework);
            ctx.response().setStatusCode(200).end();
        });
    }
}
