/**
 * Who may do what, on which cluster: principals ({@code discord-user:<id>}, {@code
 * discord-role:<id>}, {@code web:<name>}, {@code api:<name>}), roles that grant {@link
 * io.obops.access.Permission permissions}, bindings that give principals roles (optionally only for
 * clusters picked by id, name or tag), and per-action {@link io.obops.access.Policy policies}
 * (approvals needed, the approver's permission, pending TTL, reason required).
 *
 * <p>Configured in YAML ({@code obops.access.file}, see {@code config/access.yml}); an invalid file
 * stops start-up with a message naming the file, the entry and the field. An edit is applied only
 * when two consecutive checks ({@code obops.access.reload-interval}) see the same content, by
 * SHA-256, so a file caught while being written never takes effect. Fail closed: a principal
 * without a binding has no permission. {@link io.obops.access.AccessControl} answers every question
 * from the configuration in force at the time of the question, so permissions are checked again
 * when an approval is decided.
 *
 * <p>REST API credentials ({@link io.obops.access.ApiTokenProperties}, {@code obops.api.*}) each
 * map to {@code api:<name>}: bearer tokens ({@link io.obops.access.ApiTokens}, SHA-256 hashes only,
 * compared in constant time), HTTP Basic users ({@link io.obops.access.ApiUsers}, password hashes
 * only, as the console's), and OCP's access keys ({@link io.obops.access.AccessKeys}, secrets read
 * from a file or an environment variable at start, never logged; {@link
 * io.obops.access.OcpSignature} is OCP's string to sign; a Date more than 15 minutes from the
 * server's clock is refused, signatures are compared in constant time).
 */
package io.obops.access;
