/**
 * The project gallery: empty state, create from images (button or drag-and-drop anywhere; several
 * files = several projects), a batch (several portraits or a folder queued with the same settings,
 * BatchDialog; a dropped folder opens it), search and sort, open, rename (Ctrl+Z / Ctrl+Shift+Z undo and redo it),
 * duplicate, delete with confirmation and Undo. Deletion is deferred for UNDO_MS and committed when the
 * gallery unmounts, so Undo never needs a restore API and an interrupted session loses nothing.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { Alert, Box, Button, CircularProgress, FormControl, InputAdornment, InputLabel, MenuItem, Paper, Select, TextField, Typography } from '@mui/material';
import KeyboardIcon from '@mui/icons-material/Keyboard';
import PlaylistAddIcon from '@mui/icons-material/PlaylistAdd';
import SearchIcon from '@mui/icons-material/Search';
import type { ProjectSummary } from '../../shared/contracts/studio-api';
import { useStudio } from '../api/StudioProvider';
import { errorMessage } from '../common/errors';
import { useNotify } from '../common/Notifier';
import { ShortcutSheet } from '../common/ShortcutSheet';
import { dialogOpen, isTextEntry } from '../common/keys';
import { useAsyncAction } from '../common/useAsyncAction';
import { undoKey } from '../common/undo-history';
import { BatchDialog } from './BatchDialog';
import { BatchStatus } from './BatchStatus';
import { droppedFolder } from './batch-files';
import { ConfirmDeleteDialog } from './ConfirmDeleteDialog';
import { ImportButton } from './ImportButton';
import { ProjectCard } from './ProjectCard';
import { RenameDialog } from './RenameDialog';
import { SORT_LABELS, orderProjects, projectNameFromFile, type GallerySort } from './gallery-order';
import { importResult } from './import-result';
import { useProjects } from './useProjects';
import { useGalleryBatch } from './useGalleryBatch';
import { useRenameHistory } from './useRenameHistory';

const UNDO_MS = 6000;

const GALLERY_SHORTCUTS = [
  ['Tab / Shift+Tab', 'Move between projects and their buttons'],
  ['Enter', 'Open the focused project'],
  ['F2', 'Rename the focused project'],
  ['Ctrl/⌘ + D', 'Duplicate the focused project'],
  ['Delete', 'Delete the focused project (with Undo)'],
  ['Ctrl/⌘ + Z', 'Undo the last rename'],
  ['Ctrl/⌘ + Shift + Z', 'Redo the rename'],
  ['?', 'This cheat sheet'],
] as const;

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
  const [cheatSheet, setCheatSheet] = useState(false);
  const renames = useRenameHistory();
  const batch = useGalleryBatch();
  const duplicator = useAsyncAction((project: ProjectSummary) => api.duplicateProject({ id: project.id }));

  useEffect(() => localStorage.setItem('gallery.sort', sort), [sort]);

  const commitDelete = useCallback(
    async (project: ProjectSummary) => {
      pendingDeletes.current.delete(project.id);
      try {
        await api.deleteProject({ id: project.id });
      } catch (err) {
        notify({ severity: 'error', text: `Could not delete “${project.name}”: ${errorMessage(err)}` });
      }
      // Reload before un-hiding: un-hiding first shows the deleted card again for a moment, and its
      // thumbnail request then meets a project that is gone (a 404 in the console).
      await reload();
      setHidden((h) => new Set([...h].filter((id) => id !== project.id)));
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
    const noFace: string[] = [];
    let created = 0;
    for (const file of files) {
      try {
        const bytes = new Uint8Array(await file.arrayBuffer());
        const project = await api.createProject({ name: projectNameFromFile(file.name), fileName: file.name, bytes });
        created++;
        if (project.inputWarning) noFace.push(file.name);
      } catch (err) {
        failures.push(errorMessage(err));
      } finally {
        setImporting((list) => {
          const i = list.indexOf(file.name);
          return i < 0 ? list : [...list.slice(0, i), ...list.slice(i + 1)];
        });
      }
    }
    await reload();
    notify(importResult(files.length, created, failures, noFace));
  };

  const rename = async (project: ProjectSummary, name: string): Promise<void> => {
    if (name === project.name) return;
    try {
      await api.renameProject({ id: project.id, name });
      renames.record({ id: project.id, from: project.name, to: name });
      await reload();
      notify({ severity: 'success', text: `Renamed to “${name}”`, action: { label: 'Undo', run: () => void renames.undo() } });
    } catch (err) {
      notify({ severity: 'error', text: `Could not rename “${project.name}”: ${errorMessage(err)}` });
    }
  };

  const duplicate = async (project: ProjectSummary): Promise<void> => {
    const copy = await duplicator.run(project);
    if (!copy) return;
    await reload();
    notify({ severity: 'success', text: `Duplicated “${project.name}” as “${copy.name}”`, action: { label: 'Open', run: () => onOpen(copy.id) } });
  };
  useEffect(() => {
    if (duplicator.error) notify({ severity: 'error', text: `Could not duplicate: ${duplicator.error}` });
  }, [duplicator.error, notify]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (isTextEntry(e.target) || dialogOpen()) return;
      const action = undoKey(e);
      if (action) {
        e.preventDefault();
        void renames[action]();
      } else if (e.key === '?' && !e.ctrlKey && !e.metaKey) setCheatSheet(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [renames]);

  const onDrop = (e: DragEvent): void => {
    e.preventDefault();
    setDragging(false);
    // A dropped folder is a batch (the dialog shows its portraits and settings); dropped files are imports.
    const folder = droppedFolder(e.dataTransfer);
    const files = Array.from(e.dataTransfer.files);
    if (folder) void folder.then((all) => batch.open(all));
    else if (files.length) void importFiles(files);
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
        <Button startIcon={<KeyboardIcon />} size="small" onClick={() => setCheatSheet(true)}>
          Shortcuts
        </Button>
        <Button variant="outlined" startIcon={<PlaylistAddIcon />} onClick={() => batch.open()}>
          Batch
        </Button>
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
      {duplicator.busy && (
        <Alert severity="info" icon={<CircularProgress size={18} />} sx={{ mb: 2 }} role="status">
          Duplicating…
        </Alert>
      )}

      <BatchStatus projectIds={batch.projectIds} projects={projects ?? []} onDismiss={batch.dismiss} />

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
              <ProjectCard key={p.id} project={p} onOpen={(proj) => onOpen(proj.id)} onRename={setRenaming} onDelete={setConfirmingDelete} onDuplicate={(proj) => void duplicate(proj)} />
            ))}
          </Box>
        </>
      )}

      {renaming && (
        <RenameDialog
          initialName={renaming.name}
          onCancel={() => setRenaming(null)}
          onSave={(name) => {
            const project = renaming;
            setRenaming(null);
            void rename(project, name);
          }}
        />
      )}
      <ShortcutSheet open={cheatSheet} onClose={() => setCheatSheet(false)} shortcuts={GALLERY_SHORTCUTS} titleId="gallery-shortcuts-title" />
      {batch.files && (
        <BatchDialog
          initialFiles={batch.files}
          onClose={batch.close}
          onQueued={(ids) => {
            batch.queued(ids);
            void reload();
          }}
        />
      )}
      {confirmingDelete && <ConfirmDeleteDialog project={confirmingDelete} onCancel={() => setConfirmingDelete(null)} onConfirm={() => deleteWithUndo(confirmingDelete)} />}
    </Box>
  );
}
