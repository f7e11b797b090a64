# Finds the JDK Tessera builds and runs with (POSIX sh, sourced by ./mvnw and ./tessera).
# `tessera_jdk_home` prints the home of the first JDK of major version TESSERA_JDK_MAJOR or newer,
# looking at JAVA_HOME, then the `java` on the PATH, then the usual install folders; it fails
# (status 1, nothing printed) when there is none. Run it in a subshell: it turns globbing on.

TESSERA_JDK_MAJOR=25

# The major version of the JDK at $1, from its `release` file (no JVM start needed).
tessera_jdk_major() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  _version=""
  if [ -f "$1/release" ]; then
    _version="$(sed -n 's/^JAVA_VERSION="\([^"]*\)"/\1/p' "$1/release")"
  fi
  if [ -z "$_version" ]; then
    _version="$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)"
  fi
  [ -n "$_version" ] || return 1
  echo "${_version%%[.+-]*}"
}

tessera_jdk_home() {
  set +f
  _path_jdk=""
  if command -v java >/dev/null 2>&1; then
    _path_jdk="$(cd "$(dirname "$(readlink -f "$(command -v java)")")/.." && pwd)"
  fi
  for _home in "${JAVA_HOME:-}" "$_path_jdk" /usr/lib/jvm/* \
    /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/* \
    /opt/java/* /opt/jdk*; do
    [ -n "$_home" ] || continue
    _major="$(tessera_jdk_major "$_home" 2>/dev/null)" || continue
    if [ "$_major" -ge "$TESSERA_JDK_MAJOR" ] 2>/dev/null; then
      echo "$_home"
      return 0
    fi
  done
  return 1
}
