package dev.slipway.framework.api;

import dev.slipway.framework.auth.Caller;
import dev.slipway.framework.auth.Signer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /router-credentials}: an admin mints the credential with which a router of a cluster
 * posts its lines into the apps' logs ({@code slipway router --log-token-file}; {@code slipway up}
 * mints its own router's). The credential is signed with the framework's key (see {@link Signer}):
 * it is answered once, stored nowhere, and stays valid until the key changes.
 */
final class RouterCredentials {
    private static final Logger LOG = LoggerFactory.getLogger(RouterCredentials.class);

    private final Signer signer;

    RouterCredentials(Signer signer) {
        this.signer = signer;
    }

    record MintRouterCredential(String router) {
    }

    record RouterCredentialBody(String router, String token) {
    }

    void mount(Router router) {
        router.post("/router-credentials").handler(ctx -> Handlers.respond(ctx, 201, () -> mint(ctx)));
    }

    private RouterCredentialBody mint(RoutingContext ctx) {
        Caller caller = Caller.of(ctx);
        if (!caller.admin()) {
            throw Denied.forbidden("only admins may mint a router's credential; you are user '" + caller.user() + "'");
        }
        MintRouterCredential request = Handlers.body(ctx, MintRouterCredential.class);
        if (request == null || !Signer.isRouterId(request.router())) {
            throw new Invalid(422, "router must name the router: 1 to 63 lower-case letters, digits and dashes");
        }
        LOG.info("router credential minted for router {} by user {}", request.router(), caller.user());
        return new RouterCredentialBody(request.router(), signer.routerCredential(request.router()));
    }
}
