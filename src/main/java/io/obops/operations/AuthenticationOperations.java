package io.obops.operations;

import io.obops.access.Surface;
import io.obops.audit.AuditEntry;
import io.obops.audit.AuditLog;

/**
 * Refused sign-ins of the REST API, audited: which scheme, who the credential claimed to be (the
 * principal of a known key or user, else {@value #UNKNOWN}) and why, never the secret. A request
 * without any credential is not audited (it claims nobody); every presented credential that fails
 * is, whatever the path.
 */
public final class AuthenticationOperations {

  /** The audit's principal for a credential that names nobody obops knows. */
  public static final String UNKNOWN = "unknown";

  /** The audit action of a refused sign-in. */
  public static final String ACTION = "api.authenticate";

  private final AuditLog audit;

  AuthenticationOperations(AuditLog audit) {
    this.audit = audit;
  }

  /**
   * Records a refused sign-in.
   *
   * @param principal the known principal the credential claimed, or null
   * @param scheme the scheme ({@code Bearer}, {@code Basic}, {@code OCP-ACCESS-KEY-HMACSHA1})
   * @param reason why, in words without any secret
   */
  public void refused(String principal, String scheme, String reason) {
    audit.record(
        new AuditEntry(
                principal == null ? UNKNOWN : principal,
                Surface.API.wire(),
                ACTION,
                "REFUSED",
                null,
                null,
                null,
                null)
            .detail(printable(scheme + ": " + reason)));
  }

  private static String printable(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints().forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
    return out.toString();
  }
}
