/**
 * OCP's shapes shared by every surface that shows them, free of Spring web: the task view as OCP's
 * API prints it ({@link io.obops.ocp.TaskView}), the success envelope ({@link
 * io.obops.ocp.OcpResponse}, built outside a request by {@link io.obops.ocp.OcpEnvelopes}) and
 * OCP's time format ({@link io.obops.ocp.OcpTime}). The REST API answers with them; chat posts the
 * same envelope as the final JSON file, without depending on the API package.
 */
package io.obops.ocp;
