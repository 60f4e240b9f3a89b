# shellcheck shell=bash
# Sourced by bin/compile. `some-tool 2>&1 | indent` prints each line the tool writes, indented by
# seven spaces as Heroku's buildpacks do, the moment the tool writes it. A plain bash loop, so
# that nothing between the tool and the build's output holds a line back: mawk, the stack's awk,
# reads its input a block at a time and kept Maven's output for tens of seconds. Terminal colour
# codes are removed, and a line that held nothing else is dropped; a last line without a newline
# is kept.
indent() {
  local line plain colour=$'\e\\[[0-9;]*m'
  while IFS= read -r line || [[ -n $line ]]; do
    plain="${line%$'\r'}"
    if [[ $plain == *$'\e'* ]]; then
      while [[ $plain =~ $colour ]]; do
        plain="${plain/"${BASH_REMATCH[0]}"/}"
      done
      [[ -z $plain ]] && continue
    fi
    printf '       %s\n' "$plain"
  done
}
