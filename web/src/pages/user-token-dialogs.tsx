import { NumberInput, Select, Stack, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "../api/client.js";
import { fieldError, formError } from "../api/field-errors.js";
import { DialogActions } from "../components/dialog-actions.js";
import { notifyDone, RefusalBanner } from "../components/refusal.js";
import {
  ALL_TOKENS_KEY,
  type CreatableTokenType,
  digitsOf,
  isHotp,
  isTotp,
  TOKEN_TYPE_LABELS,
  type Token,
  tokenLabel,
  tokensKey,
} from "./device-api.js";
import type { User } from "./user-api.js";

const CREATABLE: CreatableTokenType[] = ["h6", "h8", "t6", "t8", "yk"];
const TYPE_CHOICES = CREATABLE.map((value) => ({ value, label: TOKEN_TYPE_LABELS[value] }));
const FIELDS = ["type", "serial", "secret", "counter", "totp_step", "private_id", "aes_key"];

function useRefreshTokens(user: User) {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: tokensKey(user.id) });
    void client.invalidateQueries({ queryKey: ALL_TOKENS_KEY });
  };
}

/**
 * Add a hardware token to the user (research/duo-api.md §4.4): HOTP and TOTP tokens take their
 * secret in hex (and HOTP its counter, TOTP its time step), a YubiKey its private id and AES key.
 * The server checks each against the type and keeps the secret sealed; it is never shown again.
 */
export function AddTokenDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const refresh = useRefreshTokens(user);
  const [type, setType] = useState<CreatableTokenType>("h6");
  const [serial, setSerial] = useState("");
  const [secret, setSecret] = useState("");
  const [counter, setCounter] = useState<number | string>(0);
  const [step, setStep] = useState<string>("30");
  const [privateId, setPrivateId] = useState("");
  const [aesKey, setAesKey] = useState("");
  const create = useMutation({
    mutationFn: () =>
      api.post<Token>(`/users/${user.id}/tokens`, {
        type,
        serial,
        ...(type === "yk" ? { private_id: privateId, aes_key: aesKey } : { secret }),
        ...(isHotp(type) ? { counter: Number(counter) } : {}),
        ...(isTotp(type) ? { totp_step: Number(step) } : {}),
      }),
    meta: { inline: true },
    onSuccess: (token) => {
      refresh();
      notifyDone(`${tokenLabel(token)} added to ${user.username}`);
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const error = (field: string) => fieldError(create.error, field);
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <RefusalBanner error={formError(create.error, FIELDS)} />
        <Select
          label="Token type"
          data={TYPE_CHOICES}
          value={type}
          onChange={(value) => setType((value as CreatableTokenType | null) ?? "h6")}
          allowDeselect={false}
          error={error("type")}
          comboboxProps={{ withinPortal: true }}
        />
        <TextInput
          label="Serial number"
          value={serial}
          onChange={(event) => setSerial(event.currentTarget.value)}
          error={error("serial")}
          data-autofocus
        />
        {type === "yk" ? (
          <>
            <TextInput
              label="Private ID"
              description="12 hexadecimal digits."
              value={privateId}
              onChange={(event) => setPrivateId(event.currentTarget.value)}
              error={error("private_id")}
              autoComplete="off"
            />
            <TextInput
              label="AES key"
              description="32 hexadecimal digits."
              value={aesKey}
              onChange={(event) => setAesKey(event.currentTarget.value)}
              error={error("aes_key")}
              autoComplete="off"
            />
          </>
        ) : (
          <TextInput
            label="Secret"
            description="The token's shared secret in hexadecimal (32 to 128 digits)."
            value={secret}
            onChange={(event) => setSecret(event.currentTarget.value)}
            error={error("secret")}
            autoComplete="off"
          />
        )}
        {isHotp(type) ? (
          <NumberInput
            label="Counter"
            description="The counter of the token's next code; 0 for a new token."
            min={0}
            value={counter}
            onChange={setCounter}
            error={error("counter")}
          />
        ) : null}
        {isTotp(type) ? (
          <Select
            label="Time step"
            data={[
              { value: "30", label: "30 seconds" },
              { value: "60", label: "60 seconds" },
            ]}
            value={step}
            onChange={(value) => setStep(value ?? "30")}
            allowDeselect={false}
            error={error("totp_step")}
            comboboxProps={{ withinPortal: true }}
          />
        ) : null}
        <DialogActions onCancel={onClose} label="Add token" loading={create.isPending} />
      </Stack>
    </form>
  );
}

/** Give the user a token already in the account that nobody holds (a token is one person's). */
export function AttachTokenDialog({
  user,
  free,
  onClose,
}: {
  user: User;
  free: Token[];
  onClose: () => void;
}) {
  const refresh = useRefreshTokens(user);
  const [tokenId, setTokenId] = useState<string | null>(null);
  const attach = useMutation({
    mutationFn: (id: string) => api.put(`/users/${user.id}/tokens/${id}`, {}),
    meta: { inline: true },
    onSuccess: () => {
      refresh();
      notifyDone(`Token attached to ${user.username}`);
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (tokenId) attach.mutate(tokenId);
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <RefusalBanner error={attach.error} />
        <Select
          label="Token"
          placeholder={free.length === 0 ? "No unassigned token" : "Choose a token"}
          data={free.map((token) => ({ value: token.id, label: tokenLabel(token) }))}
          value={tokenId}
          onChange={setTokenId}
          searchable
          nothingFoundMessage="No unassigned token matches"
          comboboxProps={{ withinPortal: true }}
        />
        <DialogActions
          onCancel={onClose}
          label="Attach token"
          loading={attach.isPending}
          disabled={!tokenId}
        />
      </Stack>
    </form>
  );
}

/**
 * Resync an HOTP token whose counter drifted: the holder presses its button three times and reads
 * the three codes out; the server finds them among the token's next codes and moves its counter.
 */
export function ResyncTokenDialog({
  user,
  token,
  onClose,
}: {
  user: User;
  token: Token;
  onClose: () => void;
}) {
  const refresh = useRefreshTokens(user);
  const [codes, setCodes] = useState(["", "", ""]);
  const digits = digitsOf(token.type);
  const resync = useMutation({
    mutationFn: () => api.post(`/tokens/${token.id}/resync`, { codes }),
    meta: { inline: true },
    onSuccess: () => {
      refresh();
      notifyDone(`${tokenLabel(token)} resynced`);
      onClose();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    resync.mutate();
  };
  const ordinals = ["First", "Second", "Third"];
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <RefusalBanner error={formError(resync.error, ["code1", "code2", "code3"])} />
        {ordinals.map((ordinal, index) => (
          <TextInput
            key={ordinal}
            label={`${ordinal} code`}
            description={
              index === 0 ? `Press the token's button; ${digits} digits each.` : undefined
            }
            inputMode="numeric"
            autoComplete="off"
            maxLength={digits}
            value={codes[index]}
            onChange={(event) => {
              const value = event.currentTarget.value;
              setCodes((current) => current.map((code, i) => (i === index ? value : code)));
            }}
            error={fieldError(resync.error, `code${index + 1}`)}
            data-autofocus={index === 0 ? true : undefined}
          />
        ))}
        <DialogActions onCancel={onClose} label="Resync" loading={resync.isPending} />
      </Stack>
    </form>
  );
}
