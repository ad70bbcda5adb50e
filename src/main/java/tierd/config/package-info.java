/**
 * tierd.yaml: parsing, units and validation.
 *
 * <p>Values carry their units ({@code 5s}, {@code 256MiB}, {@code 200MiB/s}, {@code 95%}); a config
 * is validated once into immutable records and every error names the file, the line, the dotted key
 * and the allowed range. Unknown keys are errors (they are typos far more often than
 * forward-compatible settings), with a did-you-mean hint.
 */
package tierd.config;
