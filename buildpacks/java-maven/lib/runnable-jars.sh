# shellcheck shell=bash
# Sourced by bin/compile and bin/release. runnable_jars BUILD_DIR sets the array `jars` to the
# names of the jars the build left in target/, less those nobody runs: original-* (the shade
# plugin's input), sources, javadoc and test jars.
runnable_jars() {
  local jar name
  jars=()
  for jar in "$1"/target/*.jar; do
    [[ -f $jar ]] || continue
    name="${jar##*/}"
    case "$name" in
      original-*.jar | *-sources.jar | *-javadoc.jar | *-tests.jar) ;;
      *) jars+=("$name") ;;
    esac
  done
}
