/**
 * The project gallery: empty state, create from images (button or drag-and-drop anywhere; several
 * files = several projects), search and sort, open, rename, delete with confirmation and Undo.
 * Deletion is deferred for UNDO_MS and committed when the gallery unmounts, so Undo never needs a
 * restore API and an interrupted session loses nothing.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { Alert, Box, CircularProgress, FormControl, InputAdornment, InputLabel, MenuItem, Paper, Select, TextField, Typography } from '@mui/material';
import SearchIcon from '@mui/icons-material/Search';
import type { ProjectSummary } from '../../shared/contracts/studio-api';
import { useStudio } from '../api/StudioProvider';
import { errorMessage } from '../common/errors';
import { useNotify } from '../common/Notifier';
import { ConfirmDeleteDialog } from './ConfirmDeleteDialog';
import { ImportButton } from './ImportButton';
import { ProjectCard } from './ProjectCard';
import { RenameDialog } from './RenameDialog';
import { SORT_LABELS, orderProjects, projectNameFromFile, type GallerySort } from './gallery-order';
import { useProjects } from './useProjects';

const UNDO_MS = 6000;

export function Gallery({ onOpen }: { onOpen(projectId: string): void }) {
  const { api } = useStudio();
  const notify = useNotify();
  const { projects, error, reload } = useProjects();
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<GallerySort>(() => (localStorage.getItem('gallery.sort') as GallerySort | null) ?? 'updated-desc');
  const [renaming, setRenaming] = useState<ProjectSummary | null>(null);
  const [confirmingDelete, setConfirmingDelete] = useState<ProjectSummary | null>(null);
  const [importing, setImporting] = useState<string[]>([]);
  const [dragging, setDragging] = useState(false);
  const pendingDeletes = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => localStorage.setItem('gallery.sort', sort), [sort]);

  const commitDelete = useCallback(
    async (project: ProjectSummary) => {
      pendingDeletes.current.delete(project.id);
      try {
        await api.deleteProject({ id: project.id });
      } catch (err) {
        notify({ severity: 'error', text: `Could not delete “${project.name}”: ${errorMessage(err)}` });
      }
      setHidden((h) => new Set([...h].filter((id) => id !== project.id)));
      await reload();
    },
    [api, notify, reload],
  );

  // Leaving the gallery commits deletions that are still waiting for their Undo window.
  useEffect(() => {
    const pending = pendingDeletes.current;
    return () => {
      for (const [id, timer] of pending) {
        clearTimeout(timer);
        void api.deleteProject({ id }).catch(() => undefined);
      }
      pending.clear();
    };
  }, [api]);

  const deleteWithUndo = (project: ProjectSummary): void => {
    setConfirmingDelete(null);
    setHidden((h) => new Set(h).add(project.id));
    pendingDeletes.current.set(project.id, setTimeout(() => void commitDelete(project), UNDO_MS));
    notify({
      severity: 'info',
      text: `Deleted “${project.name}”`,
      durationMs: UNDO_MS,
      action: {
        label: 'Undo',
        run: () => {
          const timer = pendingDeletes.current.get(project.id);
          if (timer) clearTimeout(timer);
          pendingDeletes.current.delete(project.id);
          setHidden((h) => new Set([...h].filter((id) => id !== project.id)));
        },
      },
    });
  };

  const importFiles = async (files: File[]): Promise<void> => {
    setImporting((list) => [...list, ...files.map((f) => f.name)]);
    const failures: string[] = [];
    let created = 0;
    for (const file of files) {
      try {
        const bytes = new Uint8Array(await file.arrayBuffer());
        await api.createProject({ name: projectNameFromFile(file.name), fileName: file.name, bytes });
        created++;
      } catch (err) {
        failures.push(`${file.name}: ${errorMessage(err)}`);
      } finally {
        setImporting((list) => {
          const i = list.indexOf(file.name);
          return i < 0 ? list : [...list.slice(0, i), ...list.slice(i + 1)];
        });
      }
    }
    await reload();
    if (failures.length) notify({ severity: 'error', text: `${failures.length} of ${files.length} images could not be imported:\n${failures.join('\n')}` });
    else notify({ severity: 'success', text: created === 1 ? 'Project created' : `${created} projects created` });
  };

  const onDrop = (e: DragEvent): void => {
    e.preventDefault();
    setDragging(false);
    const files = Array.from(e.dataTransfer.files);
    if (files.length) void importFiles(files);
  };

  const visible = useMemo(() => orderProjects((projects ?? []).filter((p) => !hidden.has(p.id)), query, sort), [projects, hidden, query, sort]);
  const total = (projects ?? []).filter((p) => !hidden.has(p.id)).length;

  return (
    <Box
      component="main"
      aria-label="Project gallery"
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={onDrop}
      sx={{ minHeight: '100%', p: 3, position: 'relative', outline: dragging ? '2px dashed' : 'none', outlineColor: 'primary.main', outlineOffset: -8 }}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mb: 3, flexWrap: 'wrap' }}>
        <Typography variant="h5" component="h1" sx={{ mr: 'auto' }}>
          Projects
        </Typography>
        <TextField
          size="small"
          label="Search projects"
          type="search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          slotProps={{ input: { startAdornment: <InputAdornment position="start"><SearchIcon fontSize="small" /></InputAdornment> } }}
        />
        <FormControl size="small" sx={{ minWidth: 200 }}>
          <InputLabel id="sort-label">Sort by</InputLabel>
          <Select labelId="sort-label" label="Sort by" value={sort} onChange={(e) => setSort(e.target.value as GallerySort)}>
            {Object.entries(SORT_LABELS).map(([value, label]) => (
              <MenuItem key={value} value={value}>
                {label}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <ImportButton onFiles={(files) => void importFiles(files)} />
      </Box>

      {error && (
        <Alert severity="error" sx={{ mb: 2 }} role="alert">
          Could not load the project library: {error}
        </Alert>
      )}
      {importing.length > 0 && (
        <Alert severity="info" icon={<CircularProgress size={18} />} sx={{ mb: 2 }} role="status">
          Importing {importing.join(', ')}…
        </Alert>
      )}

      {projects === null && !error ? (
        <Box sx={{ display: 'grid', placeItems: 'center', py: 10 }} role="status" aria-label="Loading projects">
          <CircularProgress />
        </Box>
      ) : total === 0 && importing.length === 0 ? (
        <Paper variant="outlined" sx={{ py: 10, px: 4, textAlign: 'center', borderStyle: 'dashed', maxWidth: 720, mx: 'auto' }}>
          <Typography variant="h6" component="h2" gutterBottom>
            Start with a portrait
          </Typography>
          <Typography color="text.secondary" sx={{ mb: 3 }}>
            Drop one or more portraits anywhere in this window, or choose images. Each image becomes a project; everything stays on
            this machine.
          </Typography>
          <ImportButton onFiles={(files) => void importFiles(files)} label="Choose portraits" />
        </Paper>
      ) : (
        <>
          {visible.length === 0 && <Typography color="text.secondary">No project matches “{query}”.</Typography>}
          <Box component="ul" aria-label="Projects" sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))', gap: 2, p: 0, m: 0 }}>
            {visible.map((p) => (
              <ProjectCard key={p.id} project={p} onOpen={(proj) => onOpen(proj.id)} onRename={setRenaming} onDelete={setConfirmingDelete} />
            ))}
          </Box>
        </>
      )}

      {renaming && (
        <RenameDialog
          initialName={renaming.name}
          onCancel={() => setRenaming(null)}
          onSave={async (name) => {
            const project = renaming;
            setRenaming(null);
            try {
              await api.renameProject({ id: project.id, name });
              await reload();
            } catch (err) {
              notify({ severity: 'error', text: `Could not rename “${project.name}”: ${errorMessage(err)}` });
            }
          }}
        />
      )}
      {confirmingDelete && <ConfirmDeleteDialog project={confirmingDelete} onCancel={() => setConfirmingDelete(null)} onConfirm={() => deleteWithUndo(confirmingDelete)} />}
    </Box>
  );
}
