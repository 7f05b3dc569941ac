/**
 * The links of a device activation (R-AUTH-5): the page a person opens, and its QR code as an
 * image (Duo's activation_url and activation_barcode). Both carry the link's secret in the path,
 * under /enroll/, which every log line redacts (src/http/redact-url.ts).
 */
export const ACTIVATION_PATH = "/enroll";

export function activationLinks(baseUrl: string, token: string): { page: string; barcode: string } {
  const page = `${baseUrl.replace(/\/+$/, "")}${ACTIVATION_PATH}/${token}`;
  return { page, barcode: `${page}/qr.png` };
}
