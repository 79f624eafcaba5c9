/** One project in the gallery: thumbnail, name, state badges, open/rename/delete. */
import { Box, Card, CardActionArea, CardContent, Chip, IconButton, LinearProgress, Tooltip, Typography } from '@mui/material';
import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlined';
import EditOutlinedIcon from '@mui/icons-material/EditOutlined';
import ReportProblemOutlinedIcon from '@mui/icons-material/ReportProblemOutlined';
import FaceRetouchingNaturalIcon from '@mui/icons-material/FaceRetouchingNatural';
import type { ProjectSummary } from '../../shared/contracts/studio-api';
import { useStudio } from '../api/StudioProvider';

export interface ProjectCardProps {
  project: ProjectSummary;
  onOpen(project: ProjectSummary): void;
  onRename(project: ProjectSummary): void;
  onDelete(project: ProjectSummary): void;
}

function StateBadge({ project }: { project: ProjectSummary }) {
  if (project.status === 'damaged') {
    return (
      <Tooltip title={project.damage ?? 'project.json is unreadable'}>
        <Chip size="small" color="error" icon={<ReportProblemOutlinedIcon />} label="Damaged" />
      </Tooltip>
    );
  }
  if (project.activeJob) return <Chip size="small" color="info" label={`Running: ${project.activeJob.stage}`} />;
  if (project.lastRunState === 'failed') return <Chip size="small" color="error" variant="outlined" label="Last run failed" />;
  if (project.lastRunState === 'cancelled') return <Chip size="small" variant="outlined" label="Cancelled" />;
  if (project.lastRunState === 'done') return <Chip size="small" color="success" variant="outlined" label="Head ready" />;
  return null;
}

export function ProjectCard({ project, onOpen, onRename, onDelete }: ProjectCardProps) {
  const { assetSrc } = useStudio();
  const damaged = project.status === 'damaged';
  const updated = new Date(project.updatedAt);
  return (
    <Card component="li" data-testid="project-card" data-project-id={project.id} sx={{ listStyle: 'none', position: 'relative' }}>
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
      </Box>
    </Card>
  );
}
