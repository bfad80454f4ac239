# fio.sh WORKDIR FILE_MIB IOS: 4 KiB random reads, 4 KiB random writes
# (IOS each) and a sequential write of the whole file in 1 MiB blocks, one
# after the other, on one file in the environment's writable layer. O_DIRECT
# when this filesystem takes it (the result line direct_io says which).
. "${0%/*}/common.sh"
M=$2 N=$3
D=$("$P" odirect "$W/.odirect") || fail "cannot test O_DIRECT in $W"
echo "isobench.result direct_io=$D 1"
scratch_in_ram
rc=0
"$ROOT/usr/bin/fio" --output-format=json --directory="$W" --filename=fio.dat --size="${M}M" \
  --ioengine=psync --direct="$D" --randrepeat=1 --randseed=1 --thread \
  --name=randread --rw=randread --bs=4k --number_ios="$N" \
  --name=randwrite --stonewall --rw=randwrite --bs=4k --number_ios="$N" \
  --name=seqwrite --stonewall --rw=write --bs=1M --end_fsync=1 || rc=$?
finish $rc
