package dev.slipway.framework.api;

import java.net.URI;
import java.util.Optional;

/**
 * Where this framework instance stands among several: the leader serves the API itself, a follower
 * forwards every call but {@code /health}, {@code /ready} and {@code /openapi.json} to the leader (see {@link Forwarding}).
 */
public interface Standing {
    /** Whether this instance leads now. */
    boolean leads();

    /** The leader's API URL, read from ZooKeeper (blocking: never on an event loop); empty while none leads. */
    Optional<URI> leader();

    /** This instance's own API URL. */
    URI self();

    /** The only framework instance: it always leads. */
    static Standing alone(URI self) {
        return new Standing() {
            @Override
            public boolean leads() {
                return true;
            }

            @Override
            public Optional<URI> leader() {
                return Optional.of(self);
            }

            @Override
            public URI self() {
                return self;
            }
        };
    }
}
