package dev.slipway.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker engine {@code DOCKER_HOST} names (the local unix socket by default), if one answers.
 * The API version is left unset, so each request speaks the engine's own version (Debian's engine
 * is API 1.41; docker-java's newest would be refused).
 */
public final class DockerEngine {
    private static final Logger log = LoggerFactory.getLogger(DockerEngine.class);

    private DockerEngine() {
    }

    /** A client of the engine once it has answered a ping; empty when none is reachable. */
    public static Optional<DockerClient> find() {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(5))
                .maxConnections(32)
                .build();
        DockerClient docker = DockerClientImpl.getInstance(config, http);
        try {
            docker.pingCmd().exec();
            return Optional.of(docker);
        } catch (RuntimeException e) {
            log.debug("no Docker engine at {}: {}", config.getDockerHost(), e.toString());
            close(docker);
            return Optional.empty();
        }
    }

    public static void close(DockerClient docker) {
        try {
            docker.close();
        } catch (IOException e) {
            log.debug("closing the Docker client", e);
        }
    }
}
