# shellcheck shell=bash
# Sourced by bin/compile: the JDKs there are and the one system.properties asks for.

# The major version in a Java version string: 8 for 1.8 or 1.8.0_392, 17 for 17.0.21.1, 21 for 21.
# Prints nothing for what is no version.
java_major() {
  local version="$1"
  if [[ $version =~ ^1\.([0-9]+)([._][0-9A-Za-z._+-]*)?$ ]]; then
    echo "$((10#${BASH_REMATCH[1]}))"
  elif [[ $version =~ ^([0-9]+)([.+-][0-9A-Za-z._+-]*)?$ ]]; then
    echo "$((10#${BASH_REMATCH[1]}))"
  fi
}

# The version of the JDK in a folder, from its release file, else from its java.
jdk_version() {
  local home="$1" version=""
  if [[ -f $home/release ]]; then
    version="$(sed -n 's/^JAVA_VERSION="\(.*\)"[[:space:]]*$/\1/p' "$home/release" | head -n 1)"
  fi
  if [[ -z $version ]]; then
    version="$("$home/bin/java" -version 2>&1 | sed -n '1s/.*version "\([^"]*\)".*/\1/p')"
  fi
  echo "$version"
}

# Fills jdk_homes, jdk_versions and jdk_majors with the JDKs that have a javac: the default one
# first (JAVA_HOME, else the javac on PATH), then the others under jvm_dir (/usr/lib/jvm), each
# folder once whatever links lead to it.
find_jdks() {
  local default="" home real seen=" " javac_path
  jdk_homes=() jdk_versions=() jdk_majors=()
  if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/javac ]]; then
    default="$JAVA_HOME"
  elif javac_path="$(command -v javac)"; then
    default="$(dirname "$(dirname "$(readlink -f "$javac_path")")")"
  fi
  for home in "$default" "${jvm_dir:-/usr/lib/jvm}"/*; do
    [[ -n $home && -x $home/bin/javac && -x $home/bin/java ]] || continue
    real="$(readlink -f "$home")"
    [[ $seen == *" $real "* ]] && continue
    seen+="$real "
    jdk_homes+=("$real")
    jdk_versions+=("$(jdk_version "$real")")
    jdk_majors+=("$(java_major "${jdk_versions[-1]}")")
  done
}

# The JDKs there are, for messages: "Java 17 (17.0.21.1)" or "Java 17 (17.0.21.1) and 25 (25.0.3)".
jdks_text() {
  local i text=""
  for i in "${!jdk_homes[@]}"; do
    if ((i == 0)); then
      text="Java ${jdk_majors[i]} (${jdk_versions[i]})"
    elif ((i == ${#jdk_homes[@]} - 1)); then
      text+=" and ${jdk_majors[i]} (${jdk_versions[i]})"
    else
      text+=", ${jdk_majors[i]} (${jdk_versions[i]})"
    fi
  done
  echo "$text"
}

# system.properties' java.runtime.version, or nothing.
wanted_java() {
  [[ -f $1/system.properties ]] || return 0
  sed -n 's/^[[:space:]]*java\.runtime\.version[[:space:]]*[=:][[:space:]]*//p' "$1/system.properties" \
    | tr -d '\r' | sed 's/[[:space:]]*$//' | head -n 1
}

# Sets chosen to the index (in jdk_homes) of the JDK to build with: the one BUILD_DIR's
# system.properties asks for (java.runtime.version, its major version), else the default one, and
# says which. When there is no JDK of that version it fails (fail, bin/compile's), naming those
# there are, unless fallback is set (SLIPWAY_RUNTIME_FALLBACK=1): then it goes on with the default
# one, saying so. where names the place in messages ("this stack").
choose_jdk() {
  local build_dir="$1" wanted asked vendor major found i note implementor why
  find_jdks
  ((${#jdk_homes[@]} > 0)) || fail "no JDK here: the Java (Maven) buildpack builds with the stack's JDK"
  chosen=0
  wanted="$(wanted_java "$build_dir")"
  if [[ -z $wanted ]]; then
    echo "-----> Using Java ${jdk_versions[0]} (the app names no version: no java.runtime.version in system.properties)"
  else
    asked="$wanted" vendor=""
    if [[ $asked =~ ^(zulu|heroku|openjdk)-(.+)$ ]]; then
      vendor="${BASH_REMATCH[1]}" asked="${BASH_REMATCH[2]}"
    fi
    major="$(java_major "$asked")"
    found=""
    for i in "${!jdk_homes[@]}"; do
      if [[ -n $major && ${jdk_majors[i]} == "$major" ]]; then
        found="$i"
        break
      fi
    done
    if [[ -n $found ]]; then
      chosen="$found"
      note="system.properties: java.runtime.version=$wanted"
      if [[ $asked != "$major" && $asked != "1.$major" && $asked != "${jdk_versions[chosen]}" ]]; then
        note+="; Java $major here is ${jdk_versions[chosen]}"
      fi
      if [[ -n $vendor && $vendor != openjdk ]]; then
        implementor="$(sed -n 's/^IMPLEMENTOR="\(.*\)"/\1/p' "${jdk_homes[chosen]}/release" 2>/dev/null | head -n 1)"
        note+="; ${implementor:-this machine}'s OpenJDK, not the $vendor build"
      fi
      echo "-----> Using Java ${jdk_versions[chosen]} ($note)"
    else
      if [[ -z $major ]]; then
        why="java.runtime.version is \"$wanted\" (system.properties), which is not a Java version Slipway can read (such as 17, 1.8 or 21)"
      else
        why="java.runtime.version asks for $wanted (system.properties)"
      fi
      why+="; $where has only $(jdks_text)"
      if [[ -z $fallback ]]; then
        fail "$why." "Ask for java.runtime.version=${jdk_majors[0]} in system.properties, or set the config var SLIPWAY_RUNTIME_FALLBACK=1 to build with Java ${jdk_versions[0]}."
      fi
      echo "-----> Using Java ${jdk_versions[0]}, which is not what the app asks for: SLIPWAY_RUNTIME_FALLBACK=1 allows it"
      echo "       $why"
    fi
  fi
}
