#!/bin/sh
# cmake, as the zxing-cpp crate's build script runs it (through cmake-rs, which runs $CMAKE:
# .cargo/config.toml points it here). Tessera reads QR codes only, and the crate builds every
# barcode reader zxing-cpp has; its configure step gets the other formats switched off. That
# halves the C++ compiled for each build of it (three in `make test`: Linux debug and release,
# Windows), and leaves out decoders of untrusted images nobody calls. Any other cmake call
# (the build step, other projects) passes through unchanged.
case " $* " in
*" -DZXING_READERS=ON "*)
  exec cmake "$@" -DZXING_ENABLE_1D=OFF -DZXING_ENABLE_AZTEC=OFF -DZXING_ENABLE_DATAMATRIX=OFF \
    -DZXING_ENABLE_MAXICODE=OFF -DZXING_ENABLE_PDF417=OFF
  ;;
esac
exec cmake "$@"
