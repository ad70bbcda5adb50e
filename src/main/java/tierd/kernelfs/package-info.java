/**
 * Access to the kernel's pseudo-filesystems through an injectable {@link
 * tierd.kernelfs.KernelRoot}.
 *
 * <p>Vocabulary: a <em>root</em> is the triple of proc, sys and cgroup mount points; a
 * <em>reader</em> turns one kernel file under a root into a value; a <em>parser</em> is the pure
 * text-to-value part of a reader. Every failure is a {@link tierd.kernelfs.KernelFsException} with
 * a kind (absent, permission, unsupported, malformed, io, too large) and, for malformed input, the
 * file, line and token. Reads are bounded and never trust the size the kernel reports. Parsers fail
 * hard; a caller that reads many processes or nodes catches per item and leaves that item out,
 * described by a {@link tierd.kernelfs.Rejection} (file, reason, message) that is counted and
 * logged once.
 */
package tierd.kernelfs;
