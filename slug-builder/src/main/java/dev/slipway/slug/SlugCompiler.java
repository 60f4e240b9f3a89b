package dev.slipway.slug;

/**
 * Turns an unpacked source tree into a stored slug. This is the seam for buildpacks: the
 * walking skeleton has {@link ProcfileCompiler}; a buildpack compiler (detect, compile, release)
 * comes next and takes the same request.
 *
 * <p>Implementations stream human build output to {@link BuildRequest#output()} line by line
 * (Heroku style: {@code -----> step}, six-space indented detail, {@code  !     } warnings), may
 * write inside {@link BuildRequest#sourceDir()}, and store the slug before returning.
 */
public interface SlugCompiler {
    /**
     * @throws BuildFailed          if the app cannot be built; the message is for the developer
     * @throws java.io.UncheckedIOException on an I/O failure of this machine (an internal error)
     */
    CompiledSlug compile(BuildRequest request);
}
