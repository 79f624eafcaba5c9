/** "New project" button backed by a hidden multi-file image input (the e2e test fills it with setInputFiles). */
import { useRef } from 'react';
import { Button } from '@mui/material';
import AddPhotoAlternateOutlinedIcon from '@mui/icons-material/AddPhotoAlternateOutlined';

export const IMAGE_ACCEPT = 'image/png,image/jpeg,image/webp,image/avif,image/tiff,image/gif,.png,.jpg,.jpeg,.webp,.avif,.tif,.tiff,.gif';

export function ImportButton({ onFiles, variant = 'contained', label = 'New project' }: { onFiles(files: File[]): void; variant?: 'contained' | 'outlined'; label?: string }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <Button variant={variant} startIcon={<AddPhotoAlternateOutlinedIcon />} onClick={() => input.current?.click()}>
        {label}
      </Button>
      <input
        ref={input}
        type="file"
        accept={IMAGE_ACCEPT}
        multiple
        hidden
        aria-label="Portrait images for new projects"
        data-testid="import-input"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = ''; // choosing the same file again must fire change again
          if (files.length) onFiles(files);
        }}
      />
    </>
  );
}
