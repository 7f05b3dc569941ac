import { Button, Group, Input, Stack, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type ChangeEvent, useRef, useState } from "react";
import {
  MAX_LOGO_BYTES,
  MAX_LOGO_SIDE,
  MIN_LOGO_SIDE,
} from "../../../src/domain/branding/image.js";
import { api } from "../api/client.js";
import { fieldError, formError } from "../api/field-errors.js";
import { ConfirmDelete } from "../components/confirm-delete.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import { type BrandingSettings, brandingKey } from "./settings-api.js";

const FILE_INPUT = "branding-logo-file";
const KINDS: Record<string, string> = { "image/png": "PNG", "image/jpeg": "JPEG" };

/** A file chosen and read, not yet uploaded. */
interface ChosenFile {
  name: string;
  /** A data: URL, for the preview (the panel's CSP allows data: images, not blob:). */
  dataUrl: string;
}

const kilobytes = (bytes: number) => `${Math.ceil(bytes / 1024)} KB`;

/**
 * The logo: the one set (shown from the URL the sign-in page uses), a file input with a preview
 * of the chosen file, Upload, and Remove. The server judges the file by its bytes (PNG or JPEG
 * only, never SVG) and says why it refuses one; only a file plainly too big is stopped here,
 * before it is sent.
 */
export function BrandingLogoSettings({
  saved,
  accountId,
}: {
  saved: BrandingSettings;
  accountId: string;
}) {
  const client = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [chosen, setChosen] = useState<ChosenFile | null>(null);
  const [tooBig, setTooBig] = useState<string | null>(null);
  const upload = useMutation({
    mutationFn: (file: ChosenFile) =>
      api.put<BrandingSettings>("/settings/branding/logo", {
        logo: file.dataUrl.slice(file.dataUrl.indexOf(",") + 1),
      }),
    meta: { inline: true },
    onSuccess: (updated) => {
      client.setQueryData(brandingKey(accountId), updated);
      setChosen(null);
      if (input.current) input.current.value = "";
      notifyDone("Logo saved");
    },
  });
  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.currentTarget.files?.[0];
    upload.reset();
    setChosen(null);
    setTooBig(null);
    if (!file) return;
    if (file.size > MAX_LOGO_BYTES) {
      setTooBig(
        `This file is ${kilobytes(file.size)}; a logo may be at most ${kilobytes(MAX_LOGO_BYTES)}.`,
      );
      return;
    }
    const reader = new FileReader();
    reader.onload = () => setChosen({ name: file.name, dataUrl: String(reader.result) });
    reader.readAsDataURL(file);
  };
  const error = tooBig ?? fieldError(upload.error, "logo");
  const logo = saved.logo;
  return (
    <Stack gap="sm" component="section" aria-labelledby="branding-logo-heading">
      <Text id="branding-logo-heading" fw={500} size="sm">
        Logo
      </Text>
      {logo ? (
        <Group gap="md" align="center">
          <img
            src={logo.url}
            alt="The current logo"
            width={logo.width}
            height={logo.height}
            style={{ maxHeight: 64, maxWidth: 240, width: "auto", height: "auto" }}
          />
          <Text size="sm" c="dimmed">
            {KINDS[logo.content_type] ?? logo.content_type}, {logo.width}×{logo.height} pixels,{" "}
            {kilobytes(logo.size)}
          </Text>
        </Group>
      ) : (
        <Text size="sm" c="dimmed">
          No logo: the sign-in page shows the name alone.
        </Text>
      )}
      <RefusalBanner error={formError(upload.error, ["logo"])} />
      <Input.Wrapper
        id={FILE_INPUT}
        label={logo ? "Replace the logo" : "Logo file"}
        description={`PNG or JPEG, at most ${kilobytes(MAX_LOGO_BYTES)}, ${MIN_LOGO_SIDE} to ${MAX_LOGO_SIDE} pixels on each side.`}
        descriptionProps={{ id: `${FILE_INPUT}-description` }}
        error={error}
        errorProps={{ id: `${FILE_INPUT}-error` }}
      >
        <input
          id={FILE_INPUT}
          ref={input}
          type="file"
          accept="image/png,image/jpeg"
          onChange={choose}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${FILE_INPUT}-description${error ? ` ${FILE_INPUT}-error` : ""}`}
          style={{ display: "block", marginTop: 4 }}
        />
      </Input.Wrapper>
      {chosen ? (
        <Group gap="md" align="center">
          <img
            src={chosen.dataUrl}
            alt={`Preview of ${chosen.name}`}
            style={{ maxHeight: 64, maxWidth: 240 }}
          />
          <Button loading={upload.isPending} onClick={() => upload.mutate(chosen)}>
            Upload logo
          </Button>
        </Group>
      ) : null}
      {logo ? (
        <Group justify="flex-end">
          <ConfirmDelete
            query={{ action: "settings:modify" }}
            label="Remove logo"
            title="Remove the logo?"
            explanation="The sign-in page shows the name alone until you upload another."
            confirmLabel="Remove"
            remove={() => api.delete<BrandingSettings>("/settings/branding/logo")}
            onDeleted={() => void client.invalidateQueries({ queryKey: brandingKey(accountId) })}
            doneMessage="Logo removed"
            backTo="/settings"
          />
        </Group>
      ) : null}
    </Stack>
  );
}
