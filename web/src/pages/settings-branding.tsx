import { Box, Button, Group, Paper, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import {
  contrastWithWhite,
  MINIMUM_CONTRAST,
  ratioText,
} from "../../../src/domain/branding/colour.js";
import { api } from "../api/client.js";
import { fieldError, formError } from "../api/field-errors.js";
import { PageSkeleton } from "../components/page-skeleton.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import { type BrandingSettings, brandingKey } from "./settings-api.js";
import { BrandingLogoSettings } from "./settings-branding-logo.js";
import { SettingsSection } from "./settings-fields.js";

const FIELDS = ["name", "colour"] as const;
const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

/** The colour typed, as the server will store it; null while it is not yet `#rrggbb`. */
function colourOf(typed: string, fallback: string): string | null {
  const trimmed = typed.trim();
  if (trimmed === "") return fallback;
  return HEX_COLOUR.test(trimmed) ? trimmed.toLowerCase() : null;
}

/**
 * What the sign-in page will look like, and whether white text stays readable on the colour: the
 * same WCAG formula the server checks with (src/domain/branding/colour.ts), so the verdict here is
 * the server's. The sample is decoration; the verdict sentence says what it shows.
 */
function ColourPreview({
  colour,
  name,
  logo,
}: {
  colour: string | null;
  name: string;
  logo: BrandingSettings["logo"];
}) {
  const ratio = colour === null ? null : contrastWithWhite(colour);
  const readable = ratio !== null && ratio >= MINIMUM_CONTRAST;
  return (
    <Stack gap={6}>
      <Text size="sm" fw={500}>
        Preview
      </Text>
      <Paper withBorder p="md" radius="sm" aria-hidden data-testid="branding-preview">
        <Stack gap="xs" align="flex-start">
          {logo ? (
            <img
              src={logo.url}
              alt=""
              style={{ maxHeight: 40, maxWidth: 160, width: "auto", height: "auto" }}
            />
          ) : null}
          <Text fw={600}>{name}</Text>
          <Box
            component="span"
            style={{
              background: colour ?? "transparent",
              color: "#ffffff",
              border: colour === null ? "1px dashed var(--mantine-color-gray-6)" : undefined,
              borderRadius: 4,
              padding: "6px 18px",
              fontWeight: 600,
              fontSize: 14,
            }}
          >
            Continue
          </Box>
        </Stack>
      </Paper>
      <Text size="sm" aria-live="polite" data-testid="contrast-verdict">
        {colour === null || ratio === null
          ? "Type the colour as # and six hex digits, like #1a4d8f, to see it."
          : readable
            ? `Readable: white text on ${colour} has a contrast of ${ratioText(ratio)} (at least ${MINIMUM_CONTRAST}:1 is needed).`
            : `Too light: white text on ${colour} has a contrast of ${ratioText(ratio)}, and buttons need at least ${MINIMUM_CONTRAST}:1. Choose a darker colour.`}
      </Text>
    </Stack>
  );
}

/** The name and colour over one loaded copy of the branding; Save sends both. */
function NameAndColourForm({ saved, accountId }: { saved: BrandingSettings; accountId: string }) {
  const client = useQueryClient();
  const [name, setName] = useState(saved.name ?? "");
  const [colour, setColour] = useState(saved.colour ?? "");
  const shown = colourOf(colour, saved.default_colour);
  const save = useMutation({
    mutationFn: () =>
      api.patch<BrandingSettings>("/settings/branding", {
        name: name.trim() === "" ? null : name,
        colour: colour.trim() === "" ? null : colour.trim(),
      }),
    meta: { inline: true },
    onSuccess: (updated) => {
      client.setQueryData(brandingKey(accountId), updated);
      notifyDone("Branding saved");
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Name and colour">
      <Stack gap="sm">
        <RefusalBanner error={formError(save.error, FIELDS)} />
        <TextInput
          label="Name shown at sign-in"
          description={`Leave empty to show the account's name, ${saved.default_name}.`}
          placeholder={saved.default_name}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          error={fieldError(save.error, "name")}
          maw={440}
        />
        <Group gap="sm" align="flex-start">
          <TextInput
            label="Button colour"
            description={`# and six hex digits. Leave empty for Gatehouse's colour, ${saved.default_colour}.`}
            placeholder={saved.default_colour}
            value={colour}
            onChange={(event) => setColour(event.currentTarget.value)}
            error={fieldError(save.error, "colour")}
            styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
            w={300}
          />
          <Stack gap={4}>
            <Text component="label" htmlFor="branding-colour-picker" size="sm" fw={500}>
              Pick a colour
            </Text>
            <input
              id="branding-colour-picker"
              type="color"
              value={shown ?? saved.default_colour}
              onChange={(event) => setColour(event.currentTarget.value)}
              style={{ width: 56, height: 36, padding: 2, cursor: "pointer" }}
            />
          </Stack>
        </Group>
        <ColourPreview
          colour={shown}
          name={name.trim() === "" ? saved.default_name : name.trim()}
          logo={saved.logo}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={save.isPending}>
            Save branding
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * Settings, Branding (issue 15): what people see on Gatehouse's sign-in page (the hosted prompt)
 * when they log in to this account's applications: the name, the buttons' colour, the logo.
 */
export function BrandingSettingsSection({ accountId }: { accountId: string }) {
  const branding = useQuery({
    queryKey: brandingKey(accountId),
    queryFn: () => api.get<BrandingSettings>("/settings/branding"),
  });
  return (
    <SettingsSection
      title="Branding"
      description={
        <Text size="sm" c="dimmed">
          What people see on the sign-in page when they log in to this account's applications: the
          name, the colour of its buttons, and your logo.
        </Text>
      }
    >
      {branding.isPending ? (
        <PageSkeleton />
      ) : branding.isError ? (
        <RefusalBanner error={branding.error} title="Branding is not available" />
      ) : (
        <>
          <NameAndColourForm
            // A new logo leaves what is being typed here alone; a saved name or colour resets it.
            key={`${branding.data.name}|${branding.data.colour}`}
            saved={branding.data}
            accountId={accountId}
          />
          <BrandingLogoSettings saved={branding.data} accountId={accountId} />
        </>
      )}
    </SettingsSection>
  );
}
