/**
 * One project in the gallery: thumbnail, name, state badges, open/rename/delete, and a "More actions"
 * menu (duplicate). Keys while focus is inside the card: F2 rename, Ctrl/Cmd+D duplicate, Delete delete.
 */
import { useState, type KeyboardEvent } from 'react';
import { Box, Card, CardActionArea, CardContent, Chip, IconButton, LinearProgress, ListItemIcon, ListItemText, Menu, MenuItem, Tooltip, Typography } from '@mui/material';
import ContentCopyIcon from '@mui/icons-material/ContentCopy';
import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlined';
import EditOutlinedIcon from '@mui/icons-material/EditOutlined';
import MoreVertIcon from '@mui/icons-material/MoreVert';
import ReportProblemOutlinedIcon from '@mui/icons-material/ReportProblemOutlined';
import FaceRetouchingNaturalIcon from '@mui/icons-material/FaceRetouchingNatural';
import type { ProjectSummary } from '../../shared/contracts/studio-api';
import { useStudio } from '../api/StudioProvider';
import { projectBadge } from './project-badge';

export interface ProjectCardProps {
  project: ProjectSummary;
  onOpen(project: ProjectSummary): void;
  onRename(project: ProjectSummary): void;
  onDelete(project: ProjectSummary): void;
  onDuplicate(project: ProjectSummary): void;
}

function StateBadge({ project }: { project: ProjectSummary }) {
  const badge = projectBadge(project);
  if (!badge) return null;
  switch (badge.tone) {
    case 'damaged':
      return (
        <Tooltip title={project.damage ?? 'project.json is unreadable'}>
          <Chip size="small" color="error" icon={<ReportProblemOutlinedIcon />} label={badge.label} />
        </Tooltip>
      );
    case 'queued':
      return <Chip size="small" variant="outlined" color="info" label={badge.label} />;
    case 'running':
      return <Chip size="small" color="info" label={badge.label} />;
    case 'failed':
      return <Chip size="small" color="error" variant="outlined" label={badge.label} />;
    case 'cancelled':
      return <Chip size="small" variant="outlined" label={badge.label} />;
    case 'done':
      return <Chip size="small" color="success" variant="outlined" label={badge.label} />;
  }
}

export function ProjectCard({ project, onOpen, onRename, onDelete, onDuplicate }: ProjectCardProps) {
  const { assetSrc } = useStudio();
  const [menuAnchor, setMenuAnchor] = useState<HTMLElement | null>(null);
  const damaged = project.status === 'damaged';
  const updated = new Date(project.updatedAt);
  const onKeyDown = (e: KeyboardEvent): void => {
    if (menuAnchor) return;
    if (e.key === 'F2' && !damaged) onRename(project);
    else if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'd' && !damaged) onDuplicate(project);
    else if (e.key === 'Delete') onDelete(project);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };
  const menuAction = (action: (p: ProjectSummary) => void) => () => {
    setMenuAnchor(null);
    action(project);
  };
  return (
    <Card component="li" data-testid="project-card" data-project-id={project.id} onKeyDown={onKeyDown} sx={{ listStyle: 'none', position: 'relative', '&:has(:focus-visible)': { outline: '2px solid', outlineColor: 'primary.main', outlineOffset: 2 } }}>
      <CardActionArea onClick={() => onOpen(project)} disabled={damaged} aria-label={`Open ${project.name}`}>
        <Box sx={{ aspectRatio: '1 / 1', bgcolor: '#0b0c0e', display: 'grid', placeItems: 'center', overflow: 'hidden' }}>
          {project.thumbnailUrl ? (
            <Box component="img" src={assetSrc(project.thumbnailUrl)} alt={`Portrait of ${project.name}`} loading="lazy" sx={{ width: '100%', height: '100%', objectFit: 'cover', bgcolor: '#fff' }} />
          ) : (
            <FaceRetouchingNaturalIcon sx={{ fontSize: 64, color: 'text.disabled' }} aria-hidden />
          )}
        </Box>
        {project.activeJob && <LinearProgress variant="determinate" value={project.activeJob.fraction * 100} aria-label={`${project.name} progress`} />}
        <CardContent sx={{ pb: 1 }}>
          <Typography variant="subtitle1" noWrap title={project.name} component="h3">
            {project.name}
          </Typography>
          <Typography variant="caption" color="text.secondary" component="p">
            {project.runCount} {project.runCount === 1 ? 'run' : 'runs'} · updated {Number.isNaN(updated.getTime()) ? '—' : updated.toLocaleString()}
          </Typography>
        </CardContent>
      </CardActionArea>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, px: 1.5, pb: 1 }}>
        <StateBadge project={project} />
        {project.inputWarning && (
          <Tooltip title={project.inputWarning}>
            <Chip size="small" color="warning" variant="outlined" icon={<ReportProblemOutlinedIcon />} label="No face found" data-testid="no-face-badge" />
          </Tooltip>
        )}
        <Box sx={{ flex: 1 }} />
        <Tooltip title="Rename">
          <span>
            <IconButton size="small" aria-label={`Rename ${project.name}`} onClick={() => onRename(project)} disabled={damaged}>
              <EditOutlinedIcon fontSize="small" />
            </IconButton>
          </span>
        </Tooltip>
        <Tooltip title="Delete">
          <IconButton size="small" aria-label={`Delete ${project.name}`} onClick={() => onDelete(project)}>
            <DeleteOutlineIcon fontSize="small" />
          </IconButton>
        </Tooltip>
        <Tooltip title="More actions">
          <IconButton size="small" aria-label={`More actions for ${project.name}`} aria-haspopup="menu" aria-expanded={menuAnchor ? 'true' : undefined} onClick={(e) => setMenuAnchor(e.currentTarget)}>
            <MoreVertIcon fontSize="small" />
          </IconButton>
        </Tooltip>
        <Menu anchorEl={menuAnchor} open={Boolean(menuAnchor)} onClose={() => setMenuAnchor(null)} slotProps={{ list: { 'aria-label': `Actions for ${project.name}` } }}>
          <MenuItem onClick={menuAction(onDuplicate)} disabled={damaged}>
            <ListItemIcon>
              <ContentCopyIcon fontSize="small" />
            </ListItemIcon>
            <ListItemText primary="Duplicate" secondary="Ctrl+D" />
          </MenuItem>
          <MenuItem onClick={menuAction(onRename)} disabled={damaged}>
            <ListItemIcon>
              <EditOutlinedIcon fontSize="small" />
            </ListItemIcon>
            <ListItemText primary="Rename" secondary="F2" />
          </MenuItem>
          <MenuItem onClick={menuAction(onDelete)}>
            <ListItemIcon>
              <DeleteOutlineIcon fontSize="small" />
            </ListItemIcon>
            <ListItemText primary="Delete" secondary="Delete" />
          </MenuItem>
        </Menu>
      </Box>
    </Card>
  );
}
