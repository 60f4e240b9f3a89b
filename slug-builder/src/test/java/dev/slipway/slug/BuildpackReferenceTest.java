package dev.slipway.slug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.slug.BuildpackReference.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BuildpackReferenceTest {
    @ParameterizedTest
    @CsvSource({
            "nodejs, BUILT_IN",
            "java-maven, BUILT_IN",
            "/opt/buildpacks/go, DIRECTORY",
            "./vendor/bp, DIRECTORY",
            "vendor/bp, DIRECTORY",
            "https://example.com/buildpacks/go.tgz, TARBALL",
            "https://example.com/go.tar.gz?token=x, TARBALL",
            "https://github.com/heroku/heroku-buildpack-nodejs, GIT",
            "https://github.com/heroku/heroku-buildpack-nodejs.git, GIT",
            "git://example.com/bp.git, GIT",
            "ssh://git@example.com/bp.git, GIT",
            "git@github.com:heroku/heroku-buildpack-ruby.git, GIT",
            "file:///srv/git/bp.git, GIT",
    })
    void tellsWhatAReferenceNames(String text, Kind kind) {
        assertThat(BuildpackReference.parse(text).kind()).isEqualTo(kind);
    }

    @Test
    void aGitUrlMayNameABranchOrTagAfterAHash() {
        BuildpackReference reference = BuildpackReference.parse("https://github.com/heroku/heroku-buildpack-nodejs#v250");

        assertThat(reference.gitRef()).isEqualTo("v250");
        assertThat(reference.location()).isEqualTo("https://github.com/heroku/heroku-buildpack-nodejs");
        assertThat(reference.text()).isEqualTo("https://github.com/heroku/heroku-buildpack-nodejs#v250");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "Node JS", "ftp://example.com/bp.tgz", "https:///no-host.tgz",
            "git://example.com/bp.tgz", "https://example.com/bp#", "https://example.com/bp#--upload-pack=x",
            "NodeJS", "line\nbreak"})
    void refusesWhatNamesNoBuildpackWithAMessage(String text) {
        assertThatThrownBy(() -> BuildpackReference.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .message().isNotBlank();
    }
}
