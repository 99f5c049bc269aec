#!/usr/bin/env bash
# Writes the Wolverine code that endpoints and handlers run from (src/StatementTracker/Internal/Generated),
# after an endpoint or handler is added or its signature changes. The old code is removed first, because
# code generated for old signatures does not compile against new ones. No database is needed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$root/src/StatementTracker/Internal/Generated"
dotnet build "$root/src/StatementTracker.Host" -v quiet -nologo
cd "$root/src/StatementTracker.Host"
ConnectionStrings__StatementTracker="${ConnectionStrings__StatementTracker:-Host=localhost;Database=codegen}" \
CodeGeneration__Mode=Dynamic \
  dotnet run --no-build -- codegen write | grep -c "Wrote generated code file" | xargs -I{} echo "Wrote {} generated files."
