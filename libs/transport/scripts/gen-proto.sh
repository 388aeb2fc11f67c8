#!/bin/sh
# Regenerates the checked-in static protobuf code from proto/trainer.proto.
# Run from anywhere after editing the .proto: sh libs/transport/scripts/gen-proto.sh
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
npx pbjs -t static-module -w commonjs --no-beautify --no-delimited --no-verify --no-convert --force-number \
  -o "$here/generated/trainer_pb.js" proto/trainer.proto
npx pbts -o "$here/generated/trainer_pb.d.ts" "$here/generated/trainer_pb.js"
