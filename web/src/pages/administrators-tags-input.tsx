import { TagsInput } from "@mantine/core";

/** An admin's access tags (R-TAG-1: case-sensitive), typed or pasted comma-separated. */
export function AccessTagsInput({
  value,
  onChange,
  description,
}: {
  value: string[];
  onChange: (tags: string[]) => void;
  description: string;
}) {
  return (
    <TagsInput
      label="Access tags"
      description={description}
      value={value}
      onChange={onChange}
      maxTags={100}
      splitChars={[","]}
      clearable
      clearButtonProps={{ "aria-label": "Remove every access tag" }}
    />
  );
}
